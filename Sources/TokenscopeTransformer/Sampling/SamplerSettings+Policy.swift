// MARK: - What values the knobs take

extension SamplerSettings {
    /// One knob of the sampler, for stepping it in the explorer.
    public enum Knob: Sendable, Equatable {
        case temperature, topK, topP, minP
    }

    /// The range each knob may take anywhere (command line, launch options, lesson files, the
    /// explorer's keys): the one policy, so a setting valid in one place is valid in all.
    public static let temperatureRange: ClosedRange<Float> = 0...10
    /// Top-k: 0 (off) or any count.
    public static let topKRange: ClosedRange<Int> = 0...Int(Int32.max)
    /// Top-p: a mass in (0, 1]; 1 is off.
    public static let topPRange: ClosedRange<Float> = 0.01...1
    /// Min-p: a fraction in [0, 1]; 0 is off.
    public static let minPRange: ClosedRange<Float> = 0...1

    /// Why these settings cannot be used, naming the option (`--top-p`), or nil when they can.
    public var problem: String? {
        if !temperature.isFinite || !Self.temperatureRange.contains(temperature) { return "--temperature must be between 0 and 10" }
        if !Self.topKRange.contains(topK) { return "--top-k must be 0 (off) or a positive count" }
        if !topP.isFinite || !Self.topPRange.contains(topP) { return "--top-p must be between 0.01 and 1 (1 = off)" }
        if !minP.isFinite || !Self.minPRange.contains(minP) { return "--min-p must be between 0 and 1 (0 = off)" }
        return nil
    }

    /// The travel of the explorer's knobs (keys, launch options, demo scripts, lessons): narrower
    /// than what the sampler accepts, so every value is reachable by key presses.
    public static let knobTemperature: ClosedRange<Float> = 0...2
    /// Top-k's travel in the explorer.
    public static let knobTopK: ClosedRange<Int> = 0...200
    /// Top-p's travel in the explorer.
    public static let knobTopP: ClosedRange<Float> = 0.05...1
    /// Min-p's travel in the explorer.
    public static let knobMinP: ClosedRange<Float> = 0...0.5

    /// The settings with every knob brought within the explorer's travel.
    public var clampedToKnobs: SamplerSettings {
        var next = self
        next.temperature = Self.knobTemperature.clamp(temperature.isFinite ? temperature : 0)
        next.topK = Self.knobTopK.clamp(topK)
        next.topP = Self.knobTopP.clamp(topP.isFinite ? topP : 1)
        next.minP = Self.knobMinP.clamp(minP.isFinite ? minP : 0)
        return next
    }

    /// The settings with `knob` moved by `steps` key presses: temperature by 0.1, top-k by 5, top-p
    /// by 0.05, min-p by 0.01, within the knobs' travel (values are rounded to the step so repeated
    /// presses land on the labels shown).
    public func adjusting(_ knob: Knob, by steps: Int) -> SamplerSettings {
        var next = self
        switch knob {
        case .temperature: next.temperature = ((temperature + 0.1 * Float(steps)) * 10).rounded() / 10
        case .topK: next.topK = topK + 5 * steps
        case .topP: next.topP = ((topP + 0.05 * Float(steps)) * 100).rounded() / 100
        case .minP: next.minP = ((minP + 0.01 * Float(steps)) * 100).rounded() / 100
        }
        return next.clampedToKnobs
    }
}

extension ClosedRange {
    /// `value` brought within the range.
    func clamp(_ value: Bound) -> Bound { Swift.min(upperBound, Swift.max(lowerBound, value)) }
}
