// MARK: - Interventions

/// Edits of named activations for the forward passes of a session: ablation, scaling and patching
/// of heads, attention layers, feed-forward networks or the residual stream.
///
/// Set ``InferenceSession/hooks`` before appending tokens; every block run after that applies the
/// edits registered for its layer and stage, in order, before anything reads the activation (the
/// KV cache and the trace then hold the edited run). An empty set costs one check per stage.
public struct ForwardHooks: Sendable {
    /// Where an edit applies, and the shape of what it receives.
    public struct Context: Sendable {
        /// The block.
        public let layer: Int
        /// The stage.
        public let stage: BlockStage
        /// Rows in this batch; row r is position `startPosition + r`.
        public let rows: Int
        /// Position of the first row.
        public let startPosition: Int
        /// Values per row.
        public let width: Int
    }

    /// One edit: changes `values` (rows × width) in place.
    public typealias Edit = @Sendable (_ values: inout [Float], _ context: Context) -> Void

    private var edits: [Key: [Edit]] = [:]

    private struct Key: Hashable {
        let stage: BlockStage
        let layer: Int
    }

    /// An empty set.
    public init() {}

    /// Whether no edit is registered.
    public var isEmpty: Bool { edits.isEmpty }

    /// Registers `edit` for `stage` of block `layer`, after those already there.
    public mutating func add(_ stage: BlockStage, layer: Int, _ edit: @escaping Edit) {
        edits[Key(stage: stage, layer: layer), default: []].append(edit)
    }

    /// Removes every edit.
    public mutating func removeAll() { edits.removeAll() }

    /// Applies the edits for `stage` of `layer` to `values`.
    func apply(_ stage: BlockStage, layer: Int, _ values: inout [Float], rows: Int, start: Int, width: Int) {
        guard let list = edits[Key(stage: stage, layer: layer)] else { return }
        let context = Context(layer: layer, stage: stage, rows: rows, startPosition: start, width: width)
        for edit in list { edit(&values, context) }
    }
}
