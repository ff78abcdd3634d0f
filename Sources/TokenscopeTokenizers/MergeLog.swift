// MARK: - The merges of one pre-token, replayable step by step

/// Every merge BPE applies to one pre-token, in order, stored as a log rather than as snapshots.
///
/// A snapshot of the parts after every merge costs O(n²) for a pre-token of n bytes (a run of
/// 100 000 spaces is one pre-token); the log costs O(n), and ``parts(after:)`` rebuilds any step in
/// O(n) by replaying the merges before it.
public struct MergeLog: Sendable, Equatable {
    /// One merge: which two neighbouring symbols became one, and what they became.
    public struct Entry: Sendable, Equatable {
        /// Rank of the merge (0 = learned first, applied first).
        public let rank: Int32
        /// Index (into ``MergeLog/initial``) of the left symbol, which takes the merged token.
        public let position: Int32
        /// Index of the right symbol, which disappears.
        public let removed: Int32
        /// Token ids of the left and right parts and of the merged token.
        public let left: Int32
        public let right: Int32
        public let result: Int32
    }

    /// The single-byte tokens before any merge (bytes the vocabulary cannot spell are left out, as
    /// encoding leaves them out).
    public let initial: [Int]  // (symbols)
    /// The merges, first to last.
    public let entries: [Entry]  // (merges)

    /// A log of `entries` applied to `initial`.
    public init(initial: [Int], entries: [Entry]) {
        self.initial = initial
        self.entries = entries
    }

    /// How many merges there are.
    public var count: Int { entries.count }

    /// The token ids after the first `step` merges (0 = the single bytes; clamped to the log), in
    /// O(symbols + step).
    public func parts(after step: Int) -> [Int] {
        let n = initial.count
        guard n > 0 else { return [] }
        var ids = initial
        var next = Array(1...n)  // (symbols): next alive symbol, n = none
        for entry in entries.prefix(max(0, step)) {
            let i = Int(entry.position), j = Int(entry.removed)
            guard i >= 0, i < n, j >= 0, j < n else { continue }
            ids[i] = Int(entry.result)
            next[i] = next[j]
        }
        var out: [Int] = []
        var k = 0
        while k < n {
            out.append(ids[k])
            k = next[k]
        }
        return out
    }
}
