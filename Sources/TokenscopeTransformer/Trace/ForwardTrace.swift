// MARK: - The trace

/// What the forward pass recorded, position by position, for the views.
///
/// Positions are recorded as a prefix: `observedCount` positions have residuals and norms, and
/// `attentionCount` (≤ `observedCount`) have stored attention rows. Rows beyond the attention budget
/// are recomputed on demand by the session. Rewinding a session truncates its trace.
public struct ForwardTrace: Sendable {
    /// Sizes of the model that made the trace.
    public let configuration: ModelConfiguration
    /// Positions with residuals and norms.
    public private(set) var observedCount = 0
    /// Positions with stored attention rows.
    public private(set) var attentionCount = 0
    /// Whether pre-softmax scores are stored along with the probabilities.
    public let hasScores: Bool

    var residuals: ResidualStore  // (positions, blockCount + 1, width): 0 = embedding, l + 1 = after block l
    var attentionNorms: [Float] = []  // (positions, blockCount): L2 norm of each block's attention output
    var mlpNorms: [Float] = []  // (positions, blockCount): L2 norm of each block's MLP output
    var attention: [Float16] = []  // (positions, blockCount, headCount, position + 1): lower triangle
    var scores: [Float16] = []  // same layout as `attention`, before the softmax

    init(configuration: ModelConfiguration, recordsScores: Bool, residualBudgetBytes: Int = .max) {
        self.configuration = configuration
        self.hasScores = recordsScores
        self.residuals = ResidualStore(width: configuration.width, rowsPerPosition: configuration.blockCount + 1, budgetBytes: residualBudgetBytes)
    }

    /// Whether the residual stream is held in f16 (the sequence outgrew the residual budget).
    public var residualsAreCompact: Bool { residuals.isCompact }

    // MARK: Layout

    /// Offset of the first attention value of `position` (all layers and heads).
    func attentionOffset(position: Int) -> Int { Self.attentionOffset(position: position, configuration: configuration) }

    /// The same offset for a model's sizes, for code writing the trace that cannot read it meanwhile.
    static func attentionOffset(position: Int, configuration c: ModelConfiguration) -> Int {
        c.blockCount * c.headCount * (position * (position + 1) / 2)
    }

    /// Bytes the attention of positions `0..<count` takes.
    func attentionBytes(count: Int) -> Int {
        attentionOffset(position: count) * MemoryLayout<Float16>.size * (hasScores ? 2 : 1)
    }

    /// Bytes the trace holds now: residuals and norms of every observed position, plus the stored
    /// attention (and scores), which never grows past the session's attention budget.
    public var storedBytes: Int {
        residuals.bytes + (attentionNorms.count + mlpNorms.count) * MemoryLayout<Float>.size
            + (attention.count + scores.count) * MemoryLayout<Float16>.size
    }

    /// Bytes per observed position outside the attention (residual stream after every block, norms).
    public var bytesPerObservedPosition: Int {
        residuals.bytesPerPosition + 2 * configuration.blockCount * MemoryLayout<Float>.size
    }

    // MARK: Growth (used by the session)

    /// Makes room for `count` more observed positions.
    mutating func extendObserved(by count: Int) {
        residuals.extend(by: count)
        attentionNorms.append(contentsOf: repeatElement(0, count: count * configuration.blockCount))
        mlpNorms.append(contentsOf: repeatElement(0, count: count * configuration.blockCount))
        observedCount += count
    }

    /// Makes room for the attention rows of `count` more positions.
    mutating func extendAttention(by count: Int) {
        let end = attentionOffset(position: attentionCount + count)
        let grow = end - attention.count
        attention.append(contentsOf: repeatElement(0, count: grow))
        if hasScores { scores.append(contentsOf: repeatElement(0, count: grow)) }
        attentionCount += count
    }

    /// Reserves room for `positions` observed positions (residuals and norms) without copying on growth.
    mutating func reserveObserved(positions: Int) {
        residuals.reserve(positions: positions)
        attentionNorms.reserveCapacity(positions * configuration.blockCount)
        mlpNorms.reserveCapacity(positions * configuration.blockCount)
    }

    /// Drops every stored attention row (and score): the views recompute them from the residuals.
    mutating func dropAttention() {
        attentionCount = 0
        attention = []
        scores = []
    }

    /// Drops every position from `count` on.
    mutating func truncate(to count: Int) {
        if observedCount > count {
            observedCount = count
            residuals.truncate(to: count)
            attentionNorms.removeSubrange((count * configuration.blockCount)...)
            mlpNorms.removeSubrange((count * configuration.blockCount)...)
        }
        if attentionCount > count {
            attentionCount = count
            attention.removeSubrange(attentionOffset(position: count)...)
            if hasScores { scores.removeSubrange(attentionOffset(position: count)...) }
        }
    }

    // MARK: Reading

    /// The residual stream at `position` after `block` blocks (0 = the embedding, blockCount = final).
    public func residual(position: Int, afterBlocks block: Int) -> [Float]? {
        guard position >= 0, position < observedCount, block >= 0, block <= configuration.blockCount else { return nil }
        return residuals.row(position: position, block: block)
    }

    /// L2 norm of block `layer`'s attention output at `position`.
    public func attentionOutputNorm(position: Int, layer: Int) -> Float? {
        guard position >= 0, position < observedCount, layer >= 0, layer < configuration.blockCount else { return nil }
        return attentionNorms[position * configuration.blockCount + layer]
    }

    /// L2 norm of block `layer`'s MLP output at `position`.
    public func mlpOutputNorm(position: Int, layer: Int) -> Float? {
        guard position >= 0, position < observedCount, layer >= 0, layer < configuration.blockCount else { return nil }
        return mlpNorms[position * configuration.blockCount + layer]
    }

    /// The stored attention probabilities of query `position` in `layer`/`head` over keys
    /// `0...position`, or nil when not stored (beyond the budget or observation was off).
    public func attentionRow(layer: Int, head: Int, position: Int, scores wantScores: Bool = false) -> [Float]? {
        guard position >= 0, position < attentionCount, layer >= 0, layer < configuration.blockCount,
            head >= 0, head < configuration.headCount, !wantScores || hasScores
        else { return nil }
        let start = attentionOffset(position: position) + (layer * configuration.headCount + head) * (position + 1)
        let source = wantScores ? scores : attention
        return source[start..<(start + position + 1)].map { Float($0) }
    }
}
