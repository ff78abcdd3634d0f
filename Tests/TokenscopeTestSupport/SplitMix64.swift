// MARK: - A seeded generator for test data

/// SplitMix64 (Steele, Lea and Flood): a tiny seeded generator, so generated test data (the weights
/// of ``TinyModel``) are the same on every machine and every run.
public struct SplitMix64: Sendable, RandomNumberGenerator {
    /// The generator's state; advanced by a fixed odd constant on every draw.
    public var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float uniform in [-1, 1), from the top 53 bits of the next draw.
    public mutating func uniform() -> Float { Float(Double(next() >> 11) / Double(1 << 53) * 2 - 1) }
}
