import TokenscopeUI

// MARK: - Forward-pass view state

/// The forward-pass view's data for the selected position and block.
public struct ForwardViewState: Sendable, Equatable {
    public var details: ForwardDetails?
    public var pending: [AskedRequest] = []
    public var message: String?

    /// Creates the default state.
    public init() {}
}
