// MARK: - The overview gathered while a prompt runs

/// Every head's overview summary (statistics and thumbnail) gathered from the attention rows a
/// prompt's forward pass makes anyway, so opening the model overview right after a long prompt
/// costs nothing: past the attention budget the overview would otherwise recompute every layer's
/// queries and all 270 heads' rows (about 2 s at 2 000 tokens on two cores).
///
/// The rows are the ones a recomputation makes (the same tiles from the same f32 queries and
/// keys), so the summaries equal `headSummaries` recomputed on the same session. They are valid for
/// exactly the prompt's tokens; any other sequence (a decode step, a rewind) recomputes.
final class OverviewGatherer: @unchecked Sendable {
    // MARK: State

    /// The prompt's tokens (the whole sequence: gathering starts from an empty session).
    let tokens: [Int]
    /// Thumbnail cells per side.
    let thumbnailSize: Int
    let layout: AttentionRowLayout
    let headCount: Int
    private var totals: [AttentionRowSums]  // (layers × heads)
    private var gatheredLayers: [Int]  // (layers): batches of rows added per layer
    /// False once a batch ran on a path that does not hand rows out (then nothing is kept).
    private(set) var isComplete = true

    init(tokens: [Int], thumbnailSize: Int, configuration c: ModelConfiguration) {
        self.tokens = tokens
        self.thumbnailSize = thumbnailSize
        self.layout = AttentionRowLayout(count: tokens.count, thumbnailSize: thumbnailSize, tokenIDs: tokens)
        self.headCount = c.headCount
        self.totals = Array(repeating: AttentionRowSums(thumbnailCells: layout.cellCount), count: c.blockCount * c.headCount)
        self.gatheredLayers = Array(repeating: 0, count: c.blockCount)
    }

    // MARK: Gathering (the forward pass)

    /// Empty sums for one batch of `rows` of one layer: (heads × row blocks), each block's rows
    /// added by one thread.
    func batchSums(rows: Int) -> [AttentionRowSums] {
        Array(repeating: AttentionRowSums(thumbnailCells: layout.cellCount), count: headCount * Self.blocks(rows))
    }

    /// Row blocks of `AttentionTiles.queryBlock` in a batch of `rows`.
    static func blocks(_ rows: Int) -> Int { (rows + AttentionTiles.queryBlock - 1) / AttentionTiles.queryBlock }

    /// Adds one batch's sums to `layer`'s totals.
    func add(_ sums: [AttentionRowSums], layer: Int, rows: Int) {
        let blocks = Self.blocks(rows)
        for head in 0..<headCount {
            for block in 0..<blocks { totals[layer * headCount + head].merge(sums[head * blocks + block]) }
        }
        gatheredLayers[layer] += rows
    }

    /// A batch's rows were not handed out: the summaries cannot be complete.
    func abandon() { isComplete = false }

    // MARK: Reading

    /// Whether every row of every layer was added.
    var isFinished: Bool { isComplete && gatheredLayers.allSatisfy { $0 == tokens.count } }

    /// Whether these are the summaries `headSummaries` would give for this sequence and size.
    func answers(tokens sequence: [Int], thumbnailSize size: Int, tokenIDs: [Int]) -> Bool {
        isFinished && size == thumbnailSize && sequence == tokens && tokenIDs.starts(with: tokens)
    }

    /// Every head of `layer`, as `headSummaries` gives them.
    func summaries(layer: Int) -> [AttentionHeadSummary] {
        (0..<headCount).map { head in
            let total = totals[layer * headCount + head]
            return AttentionHeadSummary(
                layer: layer, head: head, statistics: total.statistics(count: tokens.count, hasTokens: true),
                thumbnail: layout.cellCount > 0 ? total.thumbnail : [.nan], thumbnailSize: max(1, layout.cellCount))
        }
    }
}
