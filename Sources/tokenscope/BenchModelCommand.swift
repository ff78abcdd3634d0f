import ArgumentParser
import Foundation
import TokenscopeKernels
import TokenscopeTransformer

/// `tokenscope bench` (model): load time, time to first token, prefill and decode speed, peak memory.
struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Load time, time to first token, prefill and decode speed, peak memory.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "Worker threads for the kernels (default: every core).") var threads: Int?
    @Option(name: .long, help: "Decode steps to time.") var decodeTokens: Int = 64
    @Option(name: .long, help: "Prompt length for the prefill figure.") var prefillTokens: Int = 128
    @Option(name: .long, help: "How decode steps meet quantised weights: int8 (integer dot products) or float (default: int8 where built in).")
    var activations: String?
    @Flag(name: .long, help: "Print the figures as JSON.") var json = false

    struct Figures: Encodable {
        let load_ms: Double
        let ttft_ms: Double
        /// Median of 5 runs of `tokenscope predict` as a child process: spawn → first byte of the answer.
        let ttft_process_ms: Double?
        let prefill_tokens_per_second: Double
        /// Prompt tokens per second of process CPU time (best of 3), as `decode_tokens_per_cpu_second`.
        let prefill_tokens_per_cpu_second: Double
        let decode_tokens_per_second: Double
        let decode_tokens_per_second_observed: Double
        /// Decode steps per second of this process's CPU time (observation off): with one thread, the
        /// speed on a core of its own, which other processes on a busy machine do not change much.
        let decode_tokens_per_cpu_second: Double
        let peak_rss_mb: Double
        let neighbors_ms: Double
        let threads: Int
        let prefill_tokens: Int
        let decode_tokens: Int
        let activations: String
    }

    func validate() throws {
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1...1024") }
        guard (1...8192).contains(decodeTokens) else { throw ValidationError("--decode-tokens must be in 1...8192") }
        guard (1...8192).contains(prefillTokens) else { throw ValidationError("--prefill-tokens must be in 1...8192") }
        if let activations, ActivationPrecision(rawValue: activations) == nil {
            throw ValidationError("--activations must be one of: \(ActivationPrecision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }

        // Load, then time to first token for a short prompt, measured from process start.
        let loadStart = ContinuousClock.now
        let model = try modelOptions.loadModel()
        let loadMs = milliseconds(since: loadStart)
        let short = model.promptTokens("The capital of France is")
        let first = InferenceSession(model: model, options: .off)
        let firstLogits = try attempt { try first.append(short) }
        _ = Sampler.sample(logits: firstLogits, settings: .greedy, position: first.count, listing: 1)
        let ttftMs = ProcessClock.millisecondsSinceProcessStart() ?? (loadMs + (first.timings.last?.milliseconds ?? 0))

        // The same as a person at a shell meets it: `predict` run anew, spawn to first output.
        var childArguments = ["predict", "The capital of France is", "--top", "1"]
        if let path = modelOptions.model { childArguments += ["--model", path] }
        let childTimes = (0..<5).compactMap { _ in ChildTimer.millisecondsToFirstOutput(arguments: childArguments) }.sorted()
        let ttftProcessMs = childTimes.isEmpty ? nil : childTimes[childTimes.count / 2]

        // Prefill: a prompt of exactly `prefillTokens` tokens, from real text.
        let prompt = Self.prefillPrompt(model, tokens: prefillTokens)
        let (prefillRate, prefillCPURate) = try measurePrefill(model: model, prompt: prompt)

        // Decode without and with observation.
        let (decodeRate, decodeCPURate) = try measureDecode(model: model, prompt: short, options: .off)
        let observedRate = try measureDecode(model: model, prompt: short, options: TraceOptions(level: .full)).wall

        // One nearest-neighbour query over every row of the input embedding (median of 5).
        let space = EmbeddingSpace(model: model)
        var neighborTimes: [Double] = []
        if let query = try? space.word(" king") {
            for _ in 0..<5 {
                let start = ContinuousClock.now
                _ = space.nearest(to: query.vector, k: 10, excluding: Set(query.ids))
                neighborTimes.append(milliseconds(since: start))
            }
        }
        let neighborsMs = neighborTimes.sorted().dropFirst(neighborTimes.count / 2).first ?? 0

        let figures = Figures(
            load_ms: loadMs, ttft_ms: ttftMs, ttft_process_ms: ttftProcessMs, prefill_tokens_per_second: prefillRate, prefill_tokens_per_cpu_second: prefillCPURate,
            decode_tokens_per_second: decodeRate, decode_tokens_per_second_observed: observedRate,
            decode_tokens_per_cpu_second: decodeCPURate,
            peak_rss_mb: ProcessClock.peakResidentMegabytes() ?? 0, neighbors_ms: neighborsMs, threads: Parallel.threadCount,
            prefill_tokens: prompt.count, decode_tokens: decodeTokens, activations: precision.rawValue)
        if json { try printJSON(figures); return }
        print("model            \(model.name) (\(model.weightTypeSummary), \(model.fileSize / 1_000_000) MB)")
        print("threads          \(figures.threads)")
        print("activations      \(figures.activations) (decode steps)")
        print(String(format: "load             %.1f ms", figures.load_ms))
        print(String(format: "first token      %.1f ms from process start", figures.ttft_ms))
        if let child = figures.ttft_process_ms {
            print(String(format: "first token      %.1f ms from spawning `predict` to its answer (median of 5)", child))
        }
        print(String(format: "prefill          %.1f tokens/s (%d-token prompt)", figures.prefill_tokens_per_second, prompt.count))
        print(String(format: "decode           %.1f tokens/s (%d tokens)", figures.decode_tokens_per_second, decodeTokens))
        print(String(format: "decode observed  %.1f tokens/s (full trace)", figures.decode_tokens_per_second_observed))
        print(String(format: "decode per CPU   %.1f tokens per CPU second", figures.decode_tokens_per_cpu_second))
        print(String(format: "peak RSS         %.1f MB", figures.peak_rss_mb))
        print(String(format: "neighbours       %.1f ms per query (49 152 rows)", figures.neighbors_ms))
    }

    /// How decode steps meet the weights: the option, else the build's default.
    private var precision: ActivationPrecision {
        activations.flatMap(ActivationPrecision.init(rawValue:)) ?? .decodingDefault
    }

    /// Exactly `tokens` tokens of real English text: a sentence repeated until the tokenised text is
    /// long enough, then cut (fewer only if the model's tokenizer gives no tokens at all).
    static func prefillPrompt(_ model: TransformerModel, tokens: Int) -> [Int] {
        let sentence = "The quick brown fox jumps over the lazy dog while the teacher explains attention. "
        let perSentence = max(1, model.promptTokens(sentence).count)
        var repeats = tokens / perSentence + 2
        var ids = model.promptTokens(String(repeating: sentence, count: repeats))
        while ids.count < tokens && !ids.isEmpty && repeats < 4 * tokens {
            repeats *= 2
            ids = model.promptTokens(String(repeating: sentence, count: repeats))
        }
        return Array(ids.prefix(tokens))
    }

    /// Prompt tokens per second of wall-clock time and of process CPU time, each the best of 3.
    private func measurePrefill(model: TransformerModel, prompt: [Int]) throws -> (wall: Double, cpu: Double) {
        var best = 0.0, bestCPU = 0.0
        for _ in 0..<3 {
            let session = InferenceSession(model: model, options: .off)
            let start = ContinuousClock.now, cpuStart = ProcessClock.cpuSeconds()
            _ = try attempt { try session.append(prompt) }
            best = max(best, Double(prompt.count) / (milliseconds(since: start) / 1000))
            let cpu = ProcessClock.cpuSeconds() - cpuStart
            if cpu > 0 { bestCPU = max(bestCPU, Double(prompt.count) / cpu) }
        }
        return (best, bestCPU)
    }

    /// Decode steps per second of wall-clock time and per second of process CPU time.
    private func measureDecode(model: TransformerModel, prompt: [Int], options: TraceOptions) throws -> (wall: Double, cpu: Double) {
        let session = InferenceSession(model: model, options: options)
        session.activations = precision
        var logits = try attempt { try session.append(prompt) }
        let start = ContinuousClock.now, cpuStart = ProcessClock.cpuSeconds()
        for _ in 0..<decodeTokens {
            let id = Sampler.sample(logits: logits, settings: .greedy, position: session.count, listing: 1).chosenID
            logits = try attempt { try session.append([id]) }
        }
        let cpu = ProcessClock.cpuSeconds() - cpuStart
        return (Double(decodeTokens) / (milliseconds(since: start) / 1000), cpu > 0 ? Double(decodeTokens) / cpu : 0)
    }
}

/// Runs a model step, turning its error into a one-line command failure.
func attempt<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ModelError { throw CommandFailure(error.description) }
}

/// Milliseconds elapsed since `start`.
func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}
