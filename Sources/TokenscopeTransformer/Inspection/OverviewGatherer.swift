// MARK: - The overview gathered while a prompt runs, grown by later rows

/// Every head's overview summary (statistics and thumbnail) as sums over the attention rows seen
/// so far: gathered from the rows a prompt's forward pass makes anyway, so opening the model
/// overview right after a long prompt costs nothing, and grown by only the new rows after decode
/// steps — past the attention budget a full recomputation redoes every layer's queries and all
/// 270 heads' rows (about 2 s at 2 000 tokens on two cores), while a query's row never changes
/// once made (attention is causal).
///
/// The rows are the ones a recomputation makes (the same tiles from the same f32 queries and
/// keys), so the summaries equal `headSummaries` recomputed on the same session; the thumbnail's
/// cells are a power of two wide, so a longer sequence's cells are sums of a shorter one's.
/// Layers may cover different numbers of rows: each grows when it is asked for. Rows made after
/// the prompt come from wherever `forEachAttentionRow` takes them: a short session's stored f16
/// rows, a long one's recomputed f32 rows.
final class OverviewGatherer: @unchecked Sendable {
    // MARK: State

    /// The tokens the rows were made for: a prefix of the session's (a rewind shortens it).
    private(set) var tokens: [Int]
    /// Thumbnail cells per side, at most.
    let thumbnailSize: Int
    /// The prompt's layout, while the prompt gathers.
    let layout: AttentionRowLayout
    let headCount: Int
    private var totals: [AttentionRowSums]  // (layers × heads)
    private var counts: [Int]  // (layers): rows 0..<counts[layer] added
    /// Each layer's sums before it last grew (oldest first; the oldest is kept, then the most
    /// recent), so a rewind — the explorer's undo — goes back to them instead of starting over.
    private var checkpoints: [[Checkpoint]]  // (layers) of, by count
    /// Most checkpoints a layer keeps.
    static let checkpointLimit = 4

    /// One layer's sums (heads) over its first `count` rows.
    private struct Checkpoint {
        let count: Int
        let sums: [AttentionRowSums]  // (heads)
    }
    /// False once a batch ran on a path that does not hand rows out (then nothing is kept).
    private(set) var isComplete = true

    /// Sums for `tokens`, gathered from a prompt (rows added as its batches run) or grown from
    /// no rows at all.
    init(tokens: [Int], thumbnailSize: Int, configuration c: ModelConfiguration) {
        self.tokens = tokens
        self.thumbnailSize = thumbnailSize
        self.layout = AttentionRowLayout(count: tokens.count, thumbnailSize: thumbnailSize, tokenIDs: tokens)
        self.headCount = c.headCount
        self.totals = Array(repeating: AttentionRowSums(thumbnailCells: thumbnailSize), count: c.blockCount * c.headCount)
        self.counts = Array(repeating: 0, count: c.blockCount)
        self.checkpoints = Array(repeating: [], count: c.blockCount)
    }

    // MARK: Gathering (the forward pass)

    /// Empty sums for one batch of `rows` of one layer: (heads × row blocks), each block's rows
    /// added by one thread.
    func batchSums(rows: Int) -> [AttentionRowSums] {
        Array(repeating: AttentionRowSums(thumbnailCells: thumbnailSize), count: headCount * Self.blocks(rows))
    }

    /// Row blocks of `AttentionTiles.queryBlock` in a batch of `rows`.
    static func blocks(_ rows: Int) -> Int { (rows + AttentionTiles.queryBlock - 1) / AttentionTiles.queryBlock }

    /// Adds one batch's sums (rows in the layout of `tokens.count` positions) to `layer`'s totals.
    func add(_ sums: [AttentionRowSums], layer: Int, rows: Int) {
        let blocks = Self.blocks(rows)
        for head in 0..<headCount {
            for block in 0..<blocks { totals[layer * headCount + head].merge(sums[head * blocks + block]) }
        }
        counts[layer] += rows
    }

    /// A batch's rows were not handed out: the summaries cannot be complete.
    func abandon() { isComplete = false }

    // MARK: Growing (later rows)

    /// Rows of `layer` added so far.
    func rowCount(layer: Int) -> Int { counts[layer] }

    /// Whether these sums are for a prefix of `sequence` (the session's tokens), `size`-cell
    /// thumbnails and induction on the same tokens.
    func grows(into sequence: [Int], thumbnailSize size: Int, tokenIDs: [Int]) -> Bool {
        isComplete && size == thumbnailSize && sequence.starts(with: tokens) && tokenIDs.starts(with: sequence)
    }

    /// Adds rows `rowCount(layer)..<sequence.count` of `layer`, summed in the layout of
    /// `sequence.count` positions (heads × row blocks), after widening the earlier rows' cells
    /// to that layout.
    func grow(layer: Int, to sequence: [Int], sums: [AttentionRowSums], blocks: Int) {
        let heads = (layer * headCount)..<((layer + 1) * headCount)
        if counts[layer] > 0 {
            checkpoints[layer].append(Checkpoint(count: counts[layer], sums: Array(totals[heads])))
            if checkpoints[layer].count > Self.checkpointLimit { checkpoints[layer].remove(at: 1) }
        }
        let old = AttentionMatrix.thumbnailCellWidth(count: counts[layer], size: thumbnailSize)
        let new = AttentionMatrix.thumbnailCellWidth(count: sequence.count, size: thumbnailSize)
        for head in 0..<headCount {
            totals[layer * headCount + head].widenCells(by: counts[layer] > 0 ? new / old : 1)
            for block in 0..<blocks { totals[layer * headCount + head].merge(sums[head * blocks + block]) }
        }
        counts[layer] = sequence.count
        if sequence.count > tokens.count { tokens = sequence }
    }

    /// Forgets every row at or past `count` (a rewind): layers that had such rows go back to
    /// their latest checkpoint before it, or start over.
    func truncate(to count: Int) {
        guard count < tokens.count else { return }
        tokens.removeSubrange(count...)
        for layer in counts.indices where counts[layer] > count {
            checkpoints[layer].removeAll { $0.count > count }
            let heads = (layer * headCount)..<((layer + 1) * headCount)
            if let last = checkpoints[layer].popLast() {
                totals.replaceSubrange(heads, with: last.sums)
                counts[layer] = last.count
            } else {
                totals.replaceSubrange(heads, with: repeatElement(AttentionRowSums(thumbnailCells: thumbnailSize), count: headCount))
                counts[layer] = 0
            }
        }
    }

    // MARK: Reading

    /// Whether every layer holds every row of the prompt it was made for.
    var isFinished: Bool { isComplete && counts.allSatisfy { $0 == tokens.count } }

    /// Every head of `layer`, as `headSummaries` gives them for its `rowCount(layer:)` positions.
    func summaries(layer: Int) -> [AttentionHeadSummary] {
        let count = counts[layer]
        let cells = AttentionMatrix.thumbnailCells(count: count, size: thumbnailSize)
        return (0..<headCount).map { head in
            let total = totals[layer * headCount + head]
            return AttentionHeadSummary(
                layer: layer, head: head, statistics: total.statistics(count: count, hasTokens: true),
                thumbnail: cells > 0 ? total.thumbnail(cells: cells) : [.nan], thumbnailSize: max(1, cells))
        }
    }
}
