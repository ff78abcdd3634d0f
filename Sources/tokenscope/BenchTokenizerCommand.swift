import ArgumentParser
import Foundation
import TokenscopeFormats
import TokenscopeTokenizers

/// `tokenscope bench tokenizer`: encode throughput on one thread.
///
/// Encodes the whole file as one text (as HF `tokenizers`' single `encode` does in
/// Tests/Reference/tokenizers/bench_hf_tokenizers.py), once to warm up, then repeatedly for about
/// `--seconds`, and reports the median run.
struct BenchTokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenizer", abstract: "Tokenizer encode throughput on one thread.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "Text to encode (default: the test corpus in the source tree, else a generated mixed text).")
    var file: String?
    @Option(name: .long, help: "Approximate time to spend measuring.") var seconds: Double = 3
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Report: Encodable {
        let tokenizer: String
        let file: String
        let bytes: Int
        let tokens: Int
        let runs: Int
        let seconds: Double
        let megabytesPerSecond: Double
        let tokensPerSecond: Double
    }

    func validate() throws {
        guard seconds.isFinite, seconds > 0, seconds <= 3600 else {
            throw ValidationError("--seconds must be a number of seconds in (0, 3600], not \(seconds)")
        }
    }

    func run() throws {
        let path = try ModelLocator.resolve(explicit: modelOptions.model).path
        let tokenizer: any Tokenizer
        do { tokenizer = try TokenizerLoader.load(path: path) } catch { throw CommandFailure(error.description) }
        let (bytes, source) = try Self.text(file)
        var count = tokenizer.encode(bytes: bytes, parseSpecial: true).count  // warm-up
        var times: [Double] = []
        let budget = ContinuousClock.now.advanced(by: .milliseconds(Int(max(seconds, 0.1) * 1000)))
        repeat {
            let start = ContinuousClock.now
            count = tokenizer.encode(bytes: bytes, parseSpecial: true).count
            let d = ContinuousClock.now - start
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        } while ContinuousClock.now < budget || times.count < 3
        let median = times.sorted()[times.count / 2]
        let report = Report(
            tokenizer: "\(tokenizer.algorithmName) (\(path))", file: source, bytes: bytes.count, tokens: count, runs: times.count,
            seconds: median, megabytesPerSecond: Double(bytes.count) / 1e6 / median, tokensPerSecond: Double(count) / median)
        if json {
            try printJSON(report)
        } else {
            print("tokenizer  \(report.tokenizer)")
            print("file       \(source): \(bytes.count) bytes, \(count) tokens")
            print(String(format: "encode     %.4f s (median of %d runs, one thread)", median, times.count))
            print(String(format: "speed      %.2f MB/s, %.0f tokens/s", report.megabytesPerSecond, report.tokensPerSecond))
        }
    }

    /// The bytes to encode and where they came from.
    static func text(_ file: String?) throws -> ([UInt8], String) {
        if let file {
            return (try readInputFile(file), file)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = root.appendingPathComponent("Tests/TokenscopeTokenizersTests/Fixtures/corpus.txt").path
        if let data = FileManager.default.contents(atPath: corpus) { return (Array(data), corpus) }
        return (generatedText(bytes: 1_000_000), "generated mixed text")
    }

    /// About `bytes` of deterministic prose, code and numbers, with some non-ASCII words.
    static func generatedText(bytes: Int) -> [UInt8] {
        let words = ["the", "model", "attention", "token", "layer", "of", "and", "café", "東京", "naïve", "🙂", "don't", "Paris"]
        let code = "for (int i = 0; i < n; ++i) { y[i] += a * x[i]; }\n"
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var out = ""
        while out.utf8.count < bytes {
            switch next() % 10 {
            case 0: out += code
            case 1: out += "\(next() % 1_000_000).\(next() % 100) "
            default: out += (0..<(4 + next() % 12)).map { _ in words[next() % words.count] }.joined(separator: " ") + ". "
            }
        }
        return Array(out.utf8)
    }
}
