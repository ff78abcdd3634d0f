import TokenscopeTransformer

// MARK: - Model picker state

/// The model picker overlay (`m`): the models at hand, which one is loaded and which is highlighted.
public struct ModelPickerState: Sendable, Equatable {
    /// The cached models and any `--model` given (empty until the list arrives).
    public var entries: [CatalogEntry] = []
    /// The path of the model the explorer runs now.
    public var current: String?
    /// The highlighted row.
    public var selected = 0
    /// Whether the list is still being read.
    public var loading = true
    /// Why the last choice was refused (an inspect-only model, or the model is busy).
    public var message: String?

    /// A picker waiting for its list.
    public init() {}
}
