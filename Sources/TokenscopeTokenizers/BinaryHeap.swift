// MARK: - Priority queue

/// An element of a ``BinaryHeap``: what comes out first.
protocol HeapOrdered {
    /// Whether `self` leaves the heap before `other`.
    func precedes(_ other: Self) -> Bool
}

/// A binary min-heap (by ``HeapOrdered/precedes(_:)``): the merge queues of both BPE kinds, the
/// rank-ordered byte-level one and SentencePiece's score-ordered one.
struct BinaryHeap<Element: HeapOrdered> {
    private var items: [Element] = []

    mutating func push(_ item: Element) {
        items.append(item)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].precedes(items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l].precedes(items[m]) { m = l }
                if r < items.count && items[r].precedes(items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return first
    }
}
