// MARK: - Horizontal reductions

/// Reductions across the lanes of a SIMD vector, in a fixed order so results are reproducible.
public enum SIMDReduce {
    /// The sum of the eight lanes, added pairwise ((0+4)+(2+6)) + ((1+5)+(3+7)).
    @inline(__always)
    public static func sum(_ v: SIMD8<Float>) -> Float {
        let a = v[0] + v[4], b = v[1] + v[5], c = v[2] + v[6], d = v[3] + v[7]
        return (a + c) + (b + d)
    }
}
