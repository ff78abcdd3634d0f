// MARK: - Sets of code points as sorted ranges

/// A set of Unicode code points stored as sorted, disjoint closed ranges; membership by binary search.
package struct ScalarSet: Sendable {
    package let ranges: [ClosedRange<UInt32>]

    package init(_ ranges: [ClosedRange<UInt32>]) { self.ranges = ranges.sorted { $0.lowerBound < $1.lowerBound } }

    /// Number of code points in the set.
    package var count: Int { ranges.reduce(0) { $0 + $1.count } }

    package func contains(_ v: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < v { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].contains(v)
    }

    /// Every code point, in order.
    package var values: [UInt32] { ranges.flatMap { Array($0) } }
}
