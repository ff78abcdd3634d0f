import ArgumentParser
import Foundation
import TokenscopeExplorer

// MARK: - Benchmark: one explorer step

/// `tokenscope bench step`: the time of one step in the sampling view on the real model — sample
/// from the stored logits, append the token with one decode step, analyse the new position (logits,
/// logit lens, attention, BPE replay) and render the frame — the work behind one press of space.
struct BenchStepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step", abstract: "Time one explorer step: sample, decode, analyse and re-render.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .shortAndLong, help: "Steps to time.") var n: Int = 40
    @Option(name: .long, help: "Screen size, e.g. 120x40.") var size: String = "120x40"
    @Argument(help: "The prompt.") var prompt: String?

    func validate() throws {
        guard n > 0, n <= 1000 else { throw ValidationError("-n must be in 1...1000") }
        _ = try parseSize(size)
    }

    func run() throws {
        let (width, height) = try parseSize(size)
        let model = try loadExplorerModel(modelOptions)
        let runtime = ExplorerRuntime(
            engine: LiveExplorerEngine(model: model), prompt: prompt ?? defaultPrompt, width: width, height: height, synchronous: true)
        runtime.send(.key(.character("2")))
        // Sample with the default settings; reseed when the text ends so every step appends.
        var steps: [Double] = [], renders: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<n {
            let before = runtime.state.tokens.count
            let start = clock.now
            runtime.send(.key(.character(" ")))
            let stepped = clock.now
            _ = Renderer.render(runtime.state, theme: .dark)
            let end = clock.now
            guard runtime.state.tokens.count == before + 1 else { throw CommandFailure("a step did not append a token: \(runtime.state.status)") }
            steps.append(milliseconds(end - start))
            renders.append(milliseconds(end - stepped))
            if runtime.state.tokens.last?.text.isEmpty ?? false { runtime.send(.key(.character("u"))) }
        }
        let sorted = steps.sorted(), sortedRenders = renders.sorted()
        func percentile(_ values: [Double], _ p: Double) -> Double { values[min(values.count - 1, Int(Double(values.count - 1) * p))] }
        print(String(format: "explorer step (sample + decode + analyse + render %dx%d), %d steps from %d prompt tokens:",
                     width, height, n, runtime.state.tokens.count - n))
        print(String(format: "  median %.1f ms · p90 %.1f ms · max %.1f ms (render alone: median %.2f ms)",
                     percentile(sorted, 0.5), percentile(sorted, 0.9), sorted.last ?? 0, percentile(sortedRenders, 0.5)))
        // The parts, on the engine directly: one decode step (append) and the analysis of the new position.
        let engine = LiveExplorerEngine(model: model)
        var ids = try engine.reset(prompt: prompt ?? defaultPrompt, chat: false).map(\.id)
        var decodes: [Double] = [], analyses: [Double] = []
        for _ in 0..<min(n, 20) {
            let analysis = try engine.analyse(position: ids.count - 1)
            let next = analysis.logits.indices.max { analysis.logits[$0] < analysis.logits[$1] } ?? 0
            let start = clock.now
            ids.append(try engine.append(next).id)
            let appended = clock.now
            _ = try engine.analyse(position: ids.count - 1)
            decodes.append(milliseconds(appended - start))
            analyses.append(milliseconds(clock.now - appended))
        }
        print(String(format: "  of which: decode step (append) median %.1f ms · analysis (logits, replay, comparisons) median %.1f ms",
                     percentile(decodes.sorted(), 0.5), percentile(analyses.sorted(), 0.5)))
    }

    func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
