import Testing
@testable import TokenscopeTransformer

/// The trace's residual stream: exact in f32 under its budget, within f16's rounding (relative
/// 2⁻¹¹ of each value, after a per-row power-of-two scale) past it, never infinite.
@Suite struct ResidualStoreTests {
    /// A row of `width` values spanning several magnitudes and both signs.
    static func row(_ seed: Int, width: Int, magnitude: Float = 1) -> [Float] {
        (0..<width).map { i in
            let x = Float((i * 7919 + seed * 104_729) % 2003) / 2003 - 0.5
            return x * magnitude * Float(1 << (i % 9))
        }
    }

    static func read(_ store: ResidualStore, position: Int, block: Int) -> [Float] { store.row(position: position, block: block) }

    static func write(_ values: [Float], into store: inout ResidualStore, position: Int, block: Int) {
        values.withUnsafeBufferPointer { store.write($0, position: position, block: block) }
    }

    /// |a − b| within f16's relative rounding of `b` (and its subnormal step at the row's scale).
    static func close(_ a: [Float], _ b: [Float], scale: Float = 1) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= abs($1) * 0x1p-11 + 0x1p-24 * scale }
    }

    @Test func underItsBudgetTheStreamIsExact() {
        var store = ResidualStore(width: 64, rowsPerPosition: 3, budgetBytes: 10 * 3 * 64 * 4)
        store.extend(by: 10)
        #expect(!store.isCompact)
        let values = Self.row(1, width: 64)
        Self.write(values, into: &store, position: 9, block: 2)
        #expect(Self.read(store, position: 9, block: 2) == values)
        #expect(store.bytes == 10 * 3 * 64 * 4)
    }

    @Test func pastItsBudgetRowsWrittenBeforeAndAfterAreHalfPrecision() {
        var store = ResidualStore(width: 64, rowsPerPosition: 3, budgetBytes: 10 * 3 * 64 * 4)
        store.extend(by: 10)
        let before = Self.row(2, width: 64)
        Self.write(before, into: &store, position: 4, block: 1)
        store.extend(by: 1)  // 11 positions: past the budget
        #expect(store.isCompact)
        #expect(store.positions == 11)
        #expect(Self.close(Self.read(store, position: 4, block: 1), before), "rows written in f32 survive the change")
        #expect(Self.read(store, position: 4, block: 1) != before, "and are rounded")
        let after = Self.row(3, width: 64)
        Self.write(after, into: &store, position: 10, block: 0)
        #expect(Self.close(Self.read(store, position: 10, block: 0), after))
        #expect(store.bytes == 11 * 3 * 64 * 2 + 11 * 3 * 4)
        store.truncate(to: 5)
        #expect(store.positions == 5 && store.bytes == 5 * 3 * 64 * 2 + 5 * 3 * 4)
        #expect(Self.close(Self.read(store, position: 4, block: 1), before))
    }

    @Test func reservingPastTheBudgetTurnsCompactBeforeAnyPosition() {
        var store = ResidualStore(width: 8, rowsPerPosition: 2, budgetBytes: 1000)
        store.reserve(positions: 100)
        #expect(store.isCompact && store.positions == 0)
    }

    @Test(arguments: [Float(1e5), 3e7, 1e30])
    func valuesPastHalfPrecisionsRangeStayFinite(magnitude: Float) {
        var store = ResidualStore(width: 32, rowsPerPosition: 1, budgetBytes: 0)
        store.extend(by: 1)
        #expect(store.isCompact)
        let values = Self.row(4, width: 32, magnitude: magnitude)
        Self.write(values, into: &store, position: 0, block: 0)
        let back = Self.read(store, position: 0, block: 0)
        #expect(back.allSatisfy { $0.isFinite })
        let largest = values.map(abs).max() ?? 0
        #expect(Self.close(back, values, scale: largest / 32_768 * 2))
    }

    @Test func nonFiniteValuesDoNotHangTheScale() {
        var store = ResidualStore(width: 4, rowsPerPosition: 1, budgetBytes: 0)
        store.extend(by: 1)
        Self.write([1, .infinity, -2, .nan], into: &store, position: 0, block: 0)
        let back = Self.read(store, position: 0, block: 0)
        #expect(back[0] == 1 && back[1] == .infinity && back[2] == -2 && back[3].isNaN)
    }
}
