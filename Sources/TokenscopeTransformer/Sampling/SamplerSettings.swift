// MARK: - Sampler settings

/// The knobs of the sampler, in the order the stages apply them.
///
/// Temperature 0 means greedy decoding. A filter is off at its neutral value: `topK == 0`,
/// `topP >= 1`, `minP <= 0`.
public struct SamplerSettings: Sendable, Equatable {
    /// Divides the logits before the softmax; 0 picks the most likely token.
    public var temperature: Float
    /// Keeps only the `topK` most likely tokens (0 = off).
    public var topK: Int
    /// Keeps the smallest set of most likely tokens whose probability reaches `topP` (1 = off).
    public var topP: Float
    /// Drops tokens less likely than `minP` times the most likely one (0 = off).
    public var minP: Float
    /// Seeds the uniform draws, so a seed replays the same tokens.
    public var seed: UInt64

    /// Creates settings; the defaults are llama.cpp's.
    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05, seed: UInt64 = 42) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
    }

    /// Greedy decoding: always the most likely token.
    public static let greedy = SamplerSettings(temperature: 0, topK: 0, topP: 1, minP: 0)

    /// Whether sampling always takes the most likely token.
    public var isGreedy: Bool { temperature <= 0 }
}
