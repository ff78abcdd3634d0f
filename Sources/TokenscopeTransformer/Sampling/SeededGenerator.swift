// MARK: - Seeded uniform draws

/// A platform-independent source of uniform draws, keyed by seed and sequence position.
///
/// Each position gets its own draw, derived from `(seed, position)` with SplitMix64, so re-sampling a
/// position after an undo gives the same token with the same settings, and a seed replays the same
/// tokens on every run and platform.
public struct SeededGenerator: Sendable, Equatable {
    /// The seed every draw derives from.
    public let seed: UInt64

    /// Creates a generator for `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// The uniform draw in [0, 1) used to sample the token at `position`.
    public func uniform(at position: Int) -> Double {
        var state = seed &+ UInt64(truncatingIfNeeded: position) &* 0x9E37_79B9_7F4A_7C15
        let bits = Self.splitMix64(&state)
        return Double(bits >> 11) * 0x1p-53
    }

    /// One SplitMix64 step (Steele, Lea and Flood 2014): advances `state` and returns a mixed value.
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
