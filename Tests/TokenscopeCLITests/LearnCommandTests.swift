import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - `tokenscope learn` and `tokenscope glossary` contracts

/// The command contracts scripts rely on, on the built binary: `learn --json` keys and count,
/// unknown names, malformed lesson files, `glossary --json`, and `learn NAME --check` on the model.
@Suite("learn and glossary commands", .serialized)
struct LearnCommandTests {
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessOutput {
        try TokenscopeBinary.run(arguments, environment: environment)
    }

    @Test func learnJSONListsAtLeastElevenLessonsWithTheirKeys() throws {
        let run = try Self.run(["learn", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let lessons = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(lessons.count >= 11)
        for lesson in lessons {
            #expect(Set(lesson.keys) == ["name", "title", "minutes", "summary", "steps"])
            #expect((lesson["steps"] as? Int ?? 0) >= 3)
        }
    }

    @Test func anUnknownLessonListsTheLessons() throws {
        let run = try Self.run(["learn", "no-such-lesson"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("unknown lesson 'no-such-lesson'") && run.stderr.contains("attention") && run.stderr.contains("tokenization"))
    }

    @Test func aMalformedLessonFileNamesFileLineAndReason() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-lesson-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: file) }
        try "# Bad\n```lesson\nminutes: 2\nsummary: s\n```\n## One\n```setup\nprompt: hi\nview: sideways\n```\nText.\n".write(to: file, atomically: true, encoding: .utf8)
        let run = try Self.run(["learn", "--lesson", file.path, "--check"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(file.path):9: unknown view 'sideways'"), "\(run.stderr)")
    }

    @Test func glossaryJSONAndOneTerm() throws {
        let all = try Self.run(["glossary", "--json"])
        #expect(all.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count >= 30)
        for entry in entries { #expect(Set(entry.keys) == ["term", "definition", "see_also"]) }
        let one = try Self.run(["glossary", "KV cache"])
        #expect(one.status == 0 && one.stdout.hasPrefix("KV cache"))
        let none = try Self.run(["glossary", "zzzqqq"])
        #expect(none.status != 0 && none.stderr.contains("no glossary entry for 'zzzqqq'"))
    }

    /// `--check` exits 0 on a shipped lesson and 1 with `step N: reason` on a false claim.
    @Test(.enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`")) func checkExitsZeroOrOneWithTheStep() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let good = try Self.run(["learn", "next-token", "--check"])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("false-claim-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: file) }
        try "# Wrong\n```lesson\nminutes: 2\nsummary: s\n```\n## One\n```setup\nprompt: The capital of Australia is\nview: sampling\nsampler: off\nexpect: top1.text == \"␣Canberra\"\n```\nThe favourite is {top1.text}.\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let bad = try Self.run(["learn", "--lesson", file.path, "--check"])
        #expect(bad.status == 1)
        #expect(bad.stdout.hasPrefix("step 1: expected `top1.text == \"␣Canberra\"`"), "\(bad.stdout)")
    }

    /// `render --lesson` shows the step's narration; `render --explain` the panel.
    @Test(.enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`")) func renderShowsALessonStepAndTheExplainPanel() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let step = try Self.run(["render", "--lesson", "attention", "--step", "2"])
        #expect(step.status == 0 && step.stdout.contains("Attention · step 2/6: The causal mask"), "\(step.stderr)")
        let explain = try Self.run(["render", "--explain", "--view", "sampling", "The capital of France is"])
        #expect(explain.status == 0 && explain.stdout.contains("Explain: Sampling"))
    }
}
