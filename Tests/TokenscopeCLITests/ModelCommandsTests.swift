import Foundation
import Testing
import TokenscopeTestSupport

/// The model commands of the built binary: their exact JSON keys, their errors, and that greedy
/// generation is repeated argmax of `predict`.
@Suite(.serialized, .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct ModelCommandsTests {
    /// Runs the binary on the default model with `arguments` (throws when it or the model is missing).
    static func run(_ arguments: [String]) throws -> ProcessOutput {
        try ModelFixture.requireDefaultModelPath()
        return try TokenscopeBinary.run(arguments)
    }

    static func object(_ line: some StringProtocol) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func predictPrintsIdsAndTopCandidatesWithTheirKeys() throws {
        let run = try Self.run(["predict", "The capital of France is", "--top", "5", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.object(run.stdout)
        #expect(Set(json.keys) == ["ids", "top"])
        #expect(json["ids"] as? [Int] == [504, 3575, 282, 4649, 314])
        let top = try #require(json["top"] as? [[String: Any]])
        #expect(top.count == 5)
        for candidate in top { #expect(Set(candidate.keys) == ["id", "token", "text", "logit", "prob"]) }
        let probabilities = top.compactMap { ($0["prob"] as? NSNumber)?.doubleValue }
        #expect(probabilities == probabilities.sorted(by: >) && probabilities.allSatisfy { $0 > 0 && $0 <= 1 })
        #expect(top.first?["text"] as? String == " Paris")
    }

    @Test func greedyGenerationIsRepeatedArgmaxOfPredict() throws {
        let prompt = "The capital of France is"
        let run = try Self.run(["generate", prompt, "-n", "8", "--temperature", "0", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let steps = try run.stdout.split(separator: "\n").map { try Self.object($0) }
        #expect(steps.count == 8)
        for step in steps { #expect(Set(step.keys) == ["id", "token", "text", "prob"]) }
        let ids = steps.compactMap { $0["id"] as? Int }
        // Predict after the prompt plus the first k generated tokens, as text: where the text
        // tokenizes back to the same ids, its argmax must be the next generated token.
        var text = prompt
        var checked = 0
        for k in 0..<3 {
            let predicted = try Self.run(["predict", text, "--top", "1", "--json"])
            let json = try Self.object(predicted.stdout)
            if json["ids"] as? [Int] == [504, 3575, 282, 4649, 314] + ids.prefix(k) {
                let top = try #require((json["top"] as? [[String: Any]])?.first)
                #expect(top["id"] as? Int == ids[k], "step \(k)")
                checked += 1
            }
            text += steps[k]["text"] as? String ?? ""
        }
        #expect(checked >= 1)
    }

    @Test func neighboursAndAnalogiesAreRankedWithTheirKeys() throws {
        let neighbours = try Self.run(["neighbors", " king", "--k", "5", "--json"])
        let analogy = try Self.run(["analogy", " king", " man", " woman", "--json"])
        for run in [neighbours, analogy] {
            #expect(run.status == 0, "\(run.stderr)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
            #expect(!list.isEmpty)
            for entry in list { #expect(Set(entry.keys) == ["id", "token", "text", "similarity"]) }
            let similarities = list.compactMap { ($0["similarity"] as? NSNumber)?.doubleValue }
            #expect(similarities == similarities.sorted(by: >))
        }
        let first = try JSONSerialization.jsonObject(with: Data(analogy.stdout.utf8)) as? [[String: Any]]
        #expect(first?.contains { $0["text"] as? String == " queen" } == true)
        #expect(!(first ?? []).contains { [" king", " man", " woman"].contains($0["text"] as? String ?? "") })
        let pieces = try Self.run(["neighbors", "kingdomship", "--json"])
        #expect(pieces.status == 0)
        #expect(pieces.stderr.contains("3 tokens"), "\(pieces.stderr)")
    }

    @Test func badRequestsFailWithAClearMessageAndStatusOne() throws {
        let cases: [([String], String)] = [
            (["predict", ""], "empty"),
            (["attention", "Hello there", "--layer", "30", "--head", "0"], "out of range"),
            (["attention", "Hello there", "--layer", "0", "--head", "9"], "out of range"),
            (["neighbors", "", "--json"], "empty"),
        ]
        for (arguments, message) in cases {
            let run = try Self.run(arguments)
            #expect(run.status == 1, "\(arguments): status \(run.status)")
            #expect(run.stderr.contains(message) && !run.stderr.isEmpty, "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Fatal error"), "\(arguments) trapped")
        }
    }

    @Test func attentionPrintsACausalMatrix() throws {
        let run = try Self.run(["attention", "The capital of France is", "--layer", "3", "--head", "4", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.object(run.stdout)
        let matrix = try #require(json["matrix"] as? [[Double]])
        #expect(matrix.count == 5)
        for (q, row) in matrix.enumerated() {
            #expect(row.count == q + 1)
            #expect(abs(row.reduce(0, +) - 1) < 1e-3)
        }
    }

    @Test func benchPrintsTheSixFigures() throws {
        let run = try Self.run(["bench", "--json", "--threads", "2", "--decode-tokens", "4", "--prefill-tokens", "8"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.object(run.stdout)
        for key in ["load_ms", "ttft_ms", "ttft_process_ms", "prefill_tokens_per_second", "decode_tokens_per_second", "decode_tokens_per_second_observed", "peak_rss_mb"] {
            let value = (json[key] as? NSNumber)?.doubleValue ?? -1
            #expect(value > 0 && value.isFinite, "\(key) = \(value)")
        }
        // A whole `predict` process cannot answer sooner than its model loads in this one.
        let load = (json["load_ms"] as? NSNumber)?.doubleValue ?? 0, child = (json["ttft_process_ms"] as? NSNumber)?.doubleValue ?? 0
        #expect(child > load * 0.5, "child \(child) ms, load \(load) ms")
        #expect(json["threads"] as? Int == 2)
    }

    @Test func benchTimesExactlyThePrefillTokensAskedFor() throws {
        // 1 000 tokens: more than the 961 that a fixed text of 64 sentences gave.
        let run = try Self.run(["bench", "--json", "--threads", "2", "--decode-tokens", "1", "--prefill-tokens", "1000", "--activations", "float"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.object(run.stdout)
        #expect(json["prefill_tokens"] as? Int == 1000)
        #expect(json["activations"] as? String == "float")
        let wrong = try Self.run(["bench", "--activations", "int4"])
        #expect(wrong.status != 0 && wrong.stderr.contains("--activations must be one of: float, int8"), "\(wrong.stderr)")
    }

    @Test func aTwoThousandTokenSessionStaysUnder400Megabytes() throws {
        // The trace's bound measured on the real process, not by accounting: a 2 000-token prompt
        // run with full observation, the attention view, a layer change, the overview of every
        // layer × head, every view's frame and decode steps.
        let run = try Self.run(["bench", "session", "--tokens", "2000", "-n", "3", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.object(run.stdout)
        #expect(json["tokens"] as? Int == 2000)
        let peak = (json["peak_rss_mb"] as? NSNumber)?.doubleValue ?? -1
        // 377 MB measured (2026-12-02): no partial attention store, f16 layers, no overview matrices,
        // the residual stream in f16 past its budget. 400 MB is the speed issue's bar.
        #expect(peak > 0 && peak < 400, "peak RSS \(peak) MB")
        for key in ["prefill_ms", "layer_ms", "layer_change_ms", "overview_ms", "overview_after_steps_ms", "step_ms", "slowest_render_ms"] {
            let value = (json[key] as? NSNumber)?.doubleValue ?? -1
            #expect(value > 0 && value.isFinite, "\(key) = \(value)")
        }
        // The speed issue's bar for the overview of every head at 2 000 tokens, right after the
        // prompt (read from the sums it gathered) and after the decode steps (grown by their rows):
        // measured 1.4 ms and 110 ms (2026-12-02), so 2 s leaves room for a slow machine.
        for key in ["overview_ms", "overview_after_steps_ms"] {
            let value = (json[key] as? NSNumber)?.doubleValue ?? .infinity
            #expect(value < 2000, "\(key) = \(value) ms")
        }
    }
}
