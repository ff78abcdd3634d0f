// MARK: - Byte-level BPE's merge queue

/// A candidate merge of the pair starting at `position`, valid while both ids are still there.
struct MergeCandidate: HeapOrdered {
    let rank: Int32
    let position: Int32
    let left: Int32
    let right: Int32

    /// The lowest rank first, then the leftmost.
    @inline(__always)
    func precedes(_ other: MergeCandidate) -> Bool {
        rank != other.rank ? rank < other.rank : position < other.position
    }
}

/// A min-heap of candidate merges ordered by (rank, position).
typealias MergeHeap = BinaryHeap<MergeCandidate>
