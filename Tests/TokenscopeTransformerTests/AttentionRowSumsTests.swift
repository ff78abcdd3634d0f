import Foundation
import Testing
import TokenscopeTestSupport
@testable import TokenscopeTransformer

/// The overview's row sums grow with the sequence: rows summed in a shorter sequence's layout,
/// their cells widened, then the new rows added, give the thumbnail and statistics of the whole
/// sequence summed at once — and both equal the pooled matrix (an independent, entry-by-entry
/// average over the same cells).
struct AttentionRowSumsTests {
    /// Causal probability rows for `count` positions, random but peaked (each row sums to 1).
    static func rows(count: Int, seed: UInt64) -> [[Float]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { q in
            let raw = (0...q).map { _ in Float.random(in: 0.01...1, using: &generator) }
            let peaked = raw.map { $0 * $0 * $0 }
            let total = peaked.reduce(0, +)
            return peaked.map { $0 / total }
        }
    }

    static func sums(_ rows: [[Float]], _ range: Range<Int>, layout: AttentionRowLayout, stride: Int) -> AttentionRowSums {
        var sums = AttentionRowSums(thumbnailCells: stride)
        for q in range {
            let h = -rows[q].reduce(0.0) { $0 + ($1 > 0 ? Double($1) * log2(Double($1)) : 0) }
            rows[q].withUnsafeBufferPointer { sums.add(row: q, $0.baseAddress!, entropy: h, layout: layout) }
        }
        return sums
    }

    @Test(arguments: [(5, 9), (16, 17), (20, 33), (100, 130), (60, 300)])
    func rowsAddedAfterWideningEqualTheWholeSequenceAtOnce(first: Int, total: Int) {
        let size = 16
        let rows = Self.rows(count: total, seed: UInt64(first * 1000 + total))
        let tokens = (0..<total).map { $0 % 7 }  // repeats, for the induction sums
        let short = AttentionRowLayout(count: first, thumbnailSize: size, tokenIDs: tokens)
        let long = AttentionRowLayout(count: total, thumbnailSize: size, tokenIDs: tokens)
        #expect(long.cellCount <= size && long.cellCount * long.cellWidth >= total && (long.cellCount - 1) * long.cellWidth < total)

        var grown = Self.sums(rows, 0..<first, layout: short, stride: size)
        grown.widenCells(by: long.cellWidth / short.cellWidth)
        grown.merge(Self.sums(rows, first..<total, layout: long, stride: size))
        let whole = Self.sums(rows, 0..<total, layout: long, stride: size)

        let a = grown.statistics(count: total, hasTokens: true), b = whole.statistics(count: total, hasTokens: true)
        #expect(abs(a.entropy - b.entropy) < 1e-12 && abs(a.previousTokenWeight - b.previousTokenWeight) < 1e-12)
        #expect(a.inductionScore != nil && abs((a.inductionScore ?? 0) - (b.inductionScore ?? 0)) < 1e-12)
        let grownThumbnail = grown.thumbnail(cells: long.cellCount), wholeThumbnail = whole.thumbnail(cells: long.cellCount)
        #expect(grownThumbnail.count == long.cellCount * long.cellCount)
        #expect(zip(grownThumbnail, wholeThumbnail).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) <= 1e-6 })

        // The pooled matrix: the same cells, averaged entry by entry.
        var square = [Float](repeating: 0, count: total * total)
        for q in 0..<total { for k in 0...q { square[q * total + k] = rows[q][k] } }
        let pooled = AttentionMatrix(values: square, count: total, layer: 0, head: 0, isScores: false).pooled(size: size)
        #expect(pooled.count == wholeThumbnail.count)
        #expect(zip(pooled, grownThumbnail).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) <= 1e-6 },
                "grown thumbnail differs from the pooled matrix")
        // Cells above the diagonal are in the future: NaN in both.
        #expect(pooled[long.cellCount - 1].isNaN == (long.cellCount > 1))
    }

    @Test func cellsArePowerOfTwoWideAndNeverMoreThanAsked() {
        for count in [1, 2, 15, 16, 17, 31, 32, 33, 255, 256, 257, 2000, 8192] {
            let width = AttentionMatrix.thumbnailCellWidth(count: count, size: 16)
            let cells = AttentionMatrix.thumbnailCells(count: count, size: 16)
            #expect(width & (width - 1) == 0, "width \(width) for \(count)")
            #expect(cells <= 16 && cells * width >= count, "\(cells) cells of \(width) for \(count)")
            #expect(count <= 16 ? cells == count : cells > 8, "\(cells) cells for \(count) positions")
        }
        #expect(AttentionMatrix.thumbnailCells(count: 0, size: 16) == 0)
        #expect(AttentionMatrix.thumbnailCells(count: 40, size: 0) == 0)
    }
}
