// MARK: - What the state knows of the engine

/// The engine's fixed facts the state shows (name, sizes, windows): read once when a model is
/// loaded, and again when the model picker switches to another model.
public struct EngineFacts: Sendable, Equatable {
    public let summary: String
    public let tokenizerSummary: String
    public let layerCount: Int
    public let headCount: Int
    public let kvHeadCount: Int
    public let kvBytesPerToken: Int
    public let contextLength: Int
    /// Each layer's sliding window (nil: the whole past).
    public let attentionWindows: [Int?]
    /// Whether the model is an encoder (similarity instead of sampling, nothing generated).
    public let isEncoder: Bool

    /// Reads the facts of `engine` (on the thread that owns it).
    public init(_ engine: any ExplorerEngine) {
        summary = engine.summary
        tokenizerSummary = engine.tokenizerSummary
        layerCount = engine.layerCount
        headCount = engine.headCount
        kvHeadCount = engine.kvHeadCount
        kvBytesPerToken = engine.kvBytesPerToken
        contextLength = engine.contextLength
        let windows = (0..<max(0, engine.layerCount)).map { engine.attentionWindow(layer: $0) }
        attentionWindows = windows.contains { $0 != nil } ? windows : []
        isEncoder = (engine as? any RetrievalEngine)?.isEncoder ?? false
    }
}

extension AppState {
    /// Takes on the facts of a (newly) loaded engine; the layer and head stay in range.
    mutating func adopt(_ facts: EngineFacts) {
        modelSummary = facts.summary
        tokenizerSummary = facts.tokenizerSummary
        layerCount = facts.layerCount
        headCount = facts.headCount
        kvHeadCount = facts.kvHeadCount
        kvBytesPerToken = facts.kvBytesPerToken
        contextLength = facts.contextLength
        attentionWindows = facts.attentionWindows
        isEncoder = facts.isEncoder
        layer = min(max(0, layer), max(0, layerCount - 1))
        head = min(max(0, head), max(0, headCount - 1))
    }
}
