import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Benchmark: a long explorer session

/// `tokenscope bench session`: a long prompt through the explorer as a user would meet it — the
/// prompt run with full observation, the attention view on a layer, a layer change, the model
/// overview (every layer × head), and decode steps — with each one's time and the process's peak
/// memory, the figure behind "a 2 000-token session stays under 1 GB".
struct BenchSessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Time and peak memory of a long explorer session (prompt, attention, overview, steps).")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "Prompt length in tokens.") var tokens: Int = 2000
    @Option(name: .shortAndLong, help: "Decode steps after the prompt.") var n: Int = 10
    @Flag(name: .long, help: "Print one JSON object: tokens, prefill_ms, layer_ms, layer_change_ms, overview_ms, overview_after_steps_ms, step_ms, slowest_render_ms, peak_rss_mb, the CPU seconds and peak RSS of each stage (stages).")
    var json = false

    /// The figures, for `--json`.
    struct Figures: Encodable {
        let tokens: Int
        let prefill_ms: Double
        let layer_ms: Double
        let layer_change_ms: Double
        let overview_ms: Double
        /// The overview again after the decode steps (0 with `-n 0`): every layer grows by the
        /// steps' rows (with the switch back to the attention view).
        let overview_after_steps_ms: Double
        let step_ms: Double
        let slowest_render_ms: Double
        let peak_rss_mb: Double
        /// Each stage's CPU seconds (every thread) and the peak RSS while it ran (the process peak
        /// where the kernel cannot reset it).
        let stages: [Stage]
    }

    /// One stage of the session.
    struct Stage: Encodable {
        let name: String
        let wall_ms: Double
        let cpu_s: Double
        let peak_rss_mb: Double
    }

    func validate() throws {
        guard tokens >= 2, tokens <= 8000 else { throw ValidationError("--tokens must be in 2...8000") }
        guard n >= 0, n <= 1000 else { throw ValidationError("-n must be in 0...1000") }
    }

    func run() throws {
        let model = try loadExplorerModel(modelOptions)
        let prompt = Self.prompt(tokens: tokens, model: model)
        let runtime = ExplorerRuntime(engine: LiveExplorerEngine(model: model), prompt: defaultPrompt, width: 120, height: 40, synchronous: true)
        let clock = ContinuousClock()
        var stages: [Stage] = []
        func timed(_ keys: String, _ action: Action? = nil) -> Double {
            let start = clock.now
            if let action { runtime.send(action) }
            for key in Key.parse(keys) { runtime.send(.key(key)) }
            _ = Renderer.render(runtime.state, theme: .dark)
            return milliseconds(clock.now - start)
        }
        func stage(_ name: String, _ keys: String) -> Double {
            ProcessClock.resetPeakResident()
            let cpu = ProcessClock.cpuSeconds()
            let wall = timed(keys)
            stages.append(Stage(name: name, wall_ms: wall, cpu_s: ProcessClock.cpuSeconds() - cpu,
                                peak_rss_mb: ProcessClock.peakResidentMegabytes() ?? 0))
            return wall
        }
        // The prompt, pasted as a user would (a paste opens the editor on it), and run.
        runtime.send(.paste(prompt, dropped: 0))
        let prefill = stage("prompt", "<Enter>")
        guard runtime.state.status.hasPrefix("ran "), runtime.state.tokens.count >= tokens else {
            throw CommandFailure("the prompt did not run: \(runtime.state.status)")
        }
        let count = runtime.state.tokens.count
        let layer = stage("attention view", "3")
        let change = stage("next layer", "<Down>")
        let overview = stage("overview", "o")
        var steps: [Double] = []
        _ = timed("2")
        for _ in 0..<n { steps.append(timed(" ")) }
        let afterSteps = n > 0 ? stage("overview, again", "3o") : 0
        // Each view's frame alone, its data already there (the slowest of three renders per view).
        var slowest = 0.0
        for view in 1...5 {
            _ = timed(String(view))
            let renders = (0..<3).map { _ in
                let start = clock.now
                _ = Renderer.render(runtime.state, theme: .dark)
                return milliseconds(clock.now - start)
            }
            slowest = max(slowest, renders.max() ?? 0)
        }
        let figures = Figures(
            tokens: count, prefill_ms: prefill, layer_ms: layer, layer_change_ms: change, overview_ms: overview,
            overview_after_steps_ms: afterSteps, step_ms: steps.sorted().dropFirst(steps.count / 2).first ?? 0, slowest_render_ms: slowest,
            peak_rss_mb: max(stages.map(\.peak_rss_mb).max() ?? 0, ProcessClock.peakResidentMegabytes() ?? 0), stages: stages)
        if json {
            try printJSON(figures)
            return
        }
        print("explorer session on \(count) prompt tokens (full observation):")
        print(String(format: "  run the prompt     %8.0f ms", figures.prefill_ms))
        print(String(format: "  attention view     %8.0f ms (one layer, all heads)", figures.layer_ms))
        print(String(format: "  next layer         %8.0f ms", figures.layer_change_ms))
        print(String(format: "  model overview     %8.0f ms (every layer × head, gathered by the prompt)", figures.overview_ms))
        if n > 0 { print(String(format: "  overview again     %8.0f ms (after the steps: grown by their rows)", figures.overview_after_steps_ms)) }
        print(String(format: "  decode step        %8.1f ms (median of %d, sampling view)", figures.step_ms, n))
        print(String(format: "  slowest view frame %8.1f ms (render alone, 120×40)", figures.slowest_render_ms))
        print(String(format: "  peak RSS           %8.1f MB", figures.peak_rss_mb))
        print("  stage                CPU s   peak RSS")
        for stage in figures.stages {
            let name = stage.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            print("  \(name)" + String(format: " %7.2f %7.0f MB", stage.cpu_s, stage.peak_rss_mb))
        }
    }

    /// A prompt of about `tokens` tokens: a paragraph repeated, cut at the token count.
    static func prompt(tokens: Int, model: TransformerModel) -> String {
        let paragraph = "Once upon a time, a curious student opened a terminal and watched a language model think. "
            + "Every token it chose had a probability, and every head looked back at the words before it. "
        var text = paragraph
        while model.tokenizer.encode(text, parseSpecial: false).count < tokens { text += paragraph }
        let ids = model.tokenizer.encode(text, parseSpecial: false).prefix(tokens)
        return model.tokenizer.decode(Array(ids))
    }

    func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
