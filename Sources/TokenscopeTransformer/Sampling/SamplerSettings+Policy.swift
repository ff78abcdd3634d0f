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

    /// The settings with `knob` moved by `steps` key presses: temperature by 0.1 within 0…2, top-k by
    /// 5 within 0…200, top-p by 0.05 within 0.05…1, min-p by 0.01 within 0…0.5 (the explorer's keys;
    /// values are rounded to the step so repeated presses land on the labels shown).
    public func adjusting(_ knob: Knob, by steps: Int) -> SamplerSettings {
        var next = self
        switch knob {
        case .temperature: next.temperature = min(2, max(0, ((temperature + 0.1 * Float(steps)) * 10).rounded() / 10))
        case .topK: next.topK = min(200, max(0, topK + 5 * steps))
        case .topP: next.topP = min(1, max(0.05, ((topP + 0.05 * Float(steps)) * 100).rounded() / 100))
        case .minP: next.minP = min(0.5, max(0, ((minP + 0.01 * Float(steps)) * 100).rounded() / 100))
        }
        return next
    }
}
