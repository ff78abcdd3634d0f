import ArgumentParser
import Foundation
import TokenscopeKernels
import TokenscopeTransformer

/// `tokenscope bench encoder`: sentence-embedding throughput, and search time over 100 000 chunks.
///
/// Embeds 1 000 generated sentences of 10–40 words (seeded, so every run embeds the same text) after
/// a warm-up, and reports sentences and tokens per second and the peak resident memory. With
/// `--reference SCRIPT` it also runs sentence-transformers on the same sentences and threads
/// (Tests/Reference/encoder/bench_sentence_transformers.py) in the same run, and reports both.
struct BenchEncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encoder", abstract: "Sentence-embedding throughput and search time.")

    @OptionGroup var encoderOptions: EncoderOptions
    @Option(name: .long, help: "Sentences to embed.") var sentences: Int = 1000
    @Option(name: .long, help: "Worker threads for the kernels (default: every core).") var threads: Int?
    @Option(name: .long, help: "A Python script running sentence-transformers on the same sentences (default: the one in the source tree, if python3 has sentence-transformers).")
    var reference: String?
    @Flag(name: .long, help: "Skip the sentence-transformers comparison.") var noReference = false
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Reference: Encodable {
        let name: String
        let sentences_per_second: Double
        let tokens_per_second: Double
    }

    struct Report: Encodable {
        let sentences: Int
        let tokens: Int
        let threads: Int
        let seconds: Double
        let sentences_per_second: Double
        let tokens_per_second: Double
        let peak_rss_mb: Double
        let search_chunks: Int
        let search_ms_per_query: Double
        let reference: Reference?
    }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard sentences >= 1 else { throw ValidationError("--sentences must be at least 1") }
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        let encoder = try encoderOptions.loadEncoder()
        let texts = Self.sentences(count: sentences)
        let tokens = texts.reduce(0) { $0 + encoder.tokens($1).count }
        do {
            _ = try encoder.embed(Array(texts.prefix(32)))  // warm-up
        } catch { throw CommandFailure(error.description) }
        let start = ContinuousClock.now
        do { _ = try encoder.embed(texts) } catch { throw CommandFailure(error.description) }
        let seconds = Self.seconds(ContinuousClock.now - start)
        let peak = ProcessClock.peakResidentMegabytes() ?? 0
        let (chunks, searchMs) = Self.searchTime(dimension: encoder.dimension)
        let reference = noReference ? nil : try runReference(texts, folder: encoder.path)
        let report = Report(
            sentences: texts.count, tokens: tokens, threads: Parallel.threadCount, seconds: seconds,
            sentences_per_second: Double(texts.count) / seconds, tokens_per_second: Double(tokens) / seconds,
            peak_rss_mb: peak, search_chunks: chunks, search_ms_per_query: searchMs, reference: reference)
        if json {
            try printJSON(report)
            return
        }
        print("encoder          \(encoder.name) (\(encoder.architecture.name), \(encoder.configuration.blockCount) blocks, width \(encoder.dimension))")
        print(String(format: "embed            %d sentences, %d tokens in %.2f s on %d threads", texts.count, tokens, seconds, Parallel.threadCount))
        print(String(format: "speed            %.1f sentences/s, %.0f tokens/s", report.sentences_per_second, report.tokens_per_second))
        print(String(format: "peak RSS         %.1f MB", peak))
        print(String(format: "search           %.2f ms per query over %d chunks", searchMs, chunks))
        if let reference {
            print(String(format: "reference        %@: %.1f sentences/s, %.0f tokens/s (ours: %.2f×)", reference.name,
                         reference.sentences_per_second, reference.tokens_per_second, report.sentences_per_second / reference.sentences_per_second))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Median time of ranking 100 000 unit vectors against a query (the search of a cached index;
    /// the vectors' values do not change the time).
    static func searchTime(dimension: Int) -> (Int, Double) {
        let count = 100_000
        var state: UInt64 = 42
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int(truncatingIfNeeded: state >> 40) % 2001 - 1000) / 1000
        }
        var vectors = [Float](repeating: 0, count: count * dimension)
        for i in vectors.indices { vectors[i] = next() }
        let chunks = (0..<count).map { DocumentChunk(document: 0, offset: $0, length: 0, tokenCount: 0) }
        let index = EmbeddingIndex(chunks: chunks, dimension: dimension, vectors: vectors)
        var times: [Double] = []
        for _ in 0..<21 {
            let query = (0..<dimension).map { _ in next() }
            let start = ContinuousClock.now
            _ = index.search(query, k: 10)
            times.append(seconds(ContinuousClock.now - start) * 1000)
        }
        return (count, times.sorted()[times.count / 2])
    }

    /// Runs sentence-transformers on `texts` with the same thread count, or nil when it cannot run.
    func runReference(_ texts: [String], folder: String) throws -> Reference? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = reference ?? root.appendingPathComponent("Tests/Reference/encoder/bench_sentence_transformers.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            printError("note: no sentence-transformers comparison: \(script) is missing")
            return nil
        }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-bench-\(getpid()).txt")
        try texts.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--model", folder, "--file", input.path, "--threads", "\(Parallel.threadCount)"]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch {
            printError("note: no sentence-transformers comparison: python3 cannot start (\(error.localizedDescription))")
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let perSecond = object["sentences_per_second"] as? Double, let tokens = object["tokens_per_second"] as? Double
        else {
            printError("note: no sentence-transformers comparison: the reference script failed (is sentence-transformers installed?)")
            return nil
        }
        return Reference(name: (object["name"] as? String) ?? "sentence-transformers", sentences_per_second: perSecond, tokens_per_second: tokens)
    }

    /// `count` sentences of 10–40 words from a fixed vocabulary and seed.
    static func sentences(count: Int) -> [String] {
        let words = """
            the a river city council engineer library quietly measured ancient winter harbour bright orchestra \
            forgot repaired market station garden letter island schedule north argument recipe model token \
            attention learned carefully beneath between yesterday tomorrow seven hundred small large green old \
            new museum village teacher student price storm bridge mountain forest coffee morning evening
            """.split(separator: " ").map(String.init)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        return (0..<count).map { _ in
            let length = 10 + next(31)
            var sentence = (0..<length).map { _ in words[next(words.count)] }.joined(separator: " ")
            sentence = sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
            return sentence
        }
    }
}
