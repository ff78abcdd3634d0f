import Foundation
import Testing
@testable import TokenscopeExplorer

// MARK: - The lesson format

/// Parsing lesson text without a model: the example of Docs/LESSONS.md, inheritance of setups, and
/// errors that name the file, the line and what is wrong.
@Suite("Lesson parser")
struct LessonParserTests {
    static let example = """
        # Next-token prediction

        ```lesson
        minutes: 5
        summary: A model outputs a distribution.
        ```

        ## A distribution

        ```setup
        prompt: "The capital of\\nFrance is"
        view: sampling
        token: last
        layer: 3
        head: 2
        sampler: off
        expect: top1.text == "␣Paris"
        ```

        The favourite is "{top1.text}" with {top1.prob}; {{braces}} stay.

        ```task
        goal: Raise the temperature until {top1.text} falls under 50 %.
        do: TTTT
        check: top1.prob < 50% and temperature > 1
        hint: T raises it.
        ```

        ## Next

        ```setup
        view: attention
        keys: <Down>
        ```

        Row "{row1.text}" of {token("  Paris").prob}.
        """

    @Test func parsesTheExample() throws {
        let lesson = try LessonParser.parse(Self.example, file: "example.md", name: "example")
        #expect(lesson.title == "Next-token prediction" && lesson.minutes == 5 && lesson.steps.count == 2)
        let first = lesson.steps[0]
        #expect(first.setup.prompt == "The capital of\nFrance is")
        #expect(first.setup.view == .sampling && first.setup.token == .position(-1))
        #expect(first.setup.layer == 3 && first.setup.head == 2)
        #expect(first.setup.temperature == 1 && first.setup.topK == 0)
        #expect(first.expectations.count == 1)
        let task = try #require(first.task)
        #expect(task.action == "TTTT" && task.hints == ["T raises it."])
        #expect(task.check.comparisons.count == 2)
        #expect(task.check.comparisons[0].right == .number(0.5))
        #expect(first.narration.hasPrefix("The favourite is"))
        // The second step inherits the prompt and sampler, not the keys of the first.
        let merged = LessonRunner.setup(of: lesson, at: 1)
        #expect(merged.prompt == "The capital of\nFrance is" && merged.view == .attention && merged.temperature == 1 && merged.keys == "<Down>")
        #expect(LessonRunner.setup(of: lesson, at: 0).keys == nil)
    }

    @Test func fileNamesGiveLessonNames() {
        #expect(LessonParser.name(of: URL(fileURLWithPath: "/x/04-attention.md")) == "attention")
        #expect(LessonParser.name(of: URL(fileURLWithPath: "/x/my-lesson.md")) == "my-lesson")
    }

    /// Each malformed variant and the line and words its error must carry.
    @Test(arguments: [
        ("view: sampling", "view: tokenz", 12, "unknown view 'tokenz'"),
        ("layer: 3", "layer: zero", 14, "layer must be a number from 0 to 1000, not 'zero'"),
        ("The favourite is \"{top1.text}\"", "The favourite is \"{top1.txt\"", 20, "unexpected '\"'"),
        ("The favourite is \"{top1.text}\"", "The favourite is \"{toop.text}\"", 20, "unknown live value 'toop.text'"),
        ("check: top1.prob < 50% and temperature > 1", "check: top1.prob", 25, "has no comparison"),
        ("do: TTTT", "", 22, "needs `do:`"),
        ("sampler: off", "sampler: warm", 16, "sampler must be default, greedy or off"),
        ("minutes: 5", "minutes: five", 4, "minutes must be a whole number"),
        ("```task", "```quiz", 22, "unknown block 'quiz'"),
        ("hint: T raises it.", "hint T raises it.", 26, "is not a `name: value` directive"),
        ("prompt: \"The capital of\\nFrance is\"", "prompt: \"The capital", 11, "not closed"),
        ("expect: top1.text == \"␣Paris\"", "expect: top1.text = \"␣Paris\"", 17, "has no comparison"),
    ])
    func malformedLessonsNameFileLineAndReason(original: String, replacement: String, line: Int, reason: String) {
        let text = Self.example.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.example, "the variant must change the example")
        do {
            _ = try LessonParser.parse(text, file: "bad.md", name: "bad")
            Issue.record("'\(replacement)' was accepted")
        } catch {
            #expect(error.file == "bad.md")
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("bad.md:\(line): "))
        }
    }

    @Test func structuralErrors() {
        func reason(_ text: String) -> String {
            do { _ = try LessonParser.parse(text, file: "f.md", name: "f"); return "accepted" } catch { return error.description }
        }
        #expect(reason("no title\n") .contains("f.md:1: a lesson starts with a `# title` line"))
        #expect(reason("# T\n```lesson\nminutes: 3\nsummary: s\n```\n").contains("no steps"))
        #expect(reason("# T\n```lesson\nminutes: 3\nsummary: s\n```\n## A\n```setup\nview: tokens\n```\nText\n").contains("f.md:6: the first step must set a prompt"))
        #expect(reason("# T\n```lesson\nminutes: 3\nsummary: s\n```\n## A\n```setup\nprompt: x\n```\n").contains("f.md:6: step 'A' has no narration"))
        #expect(reason("# T\n```lesson\nminutes: 3\nsummary: s\n```\n## A\n```setup\nprompt: x\n").contains("f.md:7: the ```setup block is not closed"))
        #expect(reason("# T\n## A\n```setup\nprompt: x\n```\nText\n").contains("no ```lesson block"))
    }

    @Test func conditionsCompareNumbersAndText() throws {
        var state = AppState(prompt: "p", width: 120, height: 40)
        state.settings.temperature = 1.5
        let values = LiveValues(state: state)
        #expect(try LessonCondition.parse("temperature > 1").evaluate(values).holds)
        #expect(try LessonCondition.parse("temperature >= 150%").evaluate(values).holds)
        #expect(!(try LessonCondition.parse("temperature < 1").evaluate(values).holds))
        #expect(try LessonCondition.parse("view == tokens and prompt contains \"p\"").evaluate(values).holds)
        let (holds, reason) = try LessonCondition.parse("top1.prob < 0.5").evaluate(values)
        #expect(!holds && reason?.contains("not computed") == true)
    }

    @Test func shippedLessonsParse() throws {
        let lessons = try LessonLibrary.shipped()
        #expect(lessons.count >= 11)
        #expect(Set(lessons.map(\.name)).count == lessons.count)
        for lesson in lessons { #expect(lesson.steps.count >= 3, "\(lesson.name) has \(lesson.steps.count) steps") }
    }

    @Test func shippedGlossaryParsesAndCoversTheIssueTerms() throws {
        let glossary = try Glossary.shipped()
        for term in ["token", "byte-level BPE", "merge rank", "embedding", "cosine similarity", "PCA", "residual stream", "RMSNorm",
                     "Q/K/V", "RoPE", "grouped-query attention", "causal mask", "attention sink", "previous-token head",
                     "induction head", "entropy", "perplexity", "logit", "softmax", "temperature", "top-k", "top-p", "min-p", "seed",
                     "logit lens", "KV cache", "prefill", "decode", "time to first token", "context window"] {
            #expect(glossary.entry(term) != nil, "no glossary entry for \(term)")
        }
        #expect(glossary.entry("sinks")?.term == "attention sink")
        #expect(glossary.search("park attention").first?.term == "attention sink")
    }

    @Test func glossaryErrorsNameTheLine() {
        func reason(_ text: String) -> String {
            do { _ = try Glossary.parse(text, file: "g.md"); return "accepted" } catch { return error.description }
        }
        #expect(reason("# G\n## a\nDef.\n## a\nAgain.\n") == "g.md:4: 'a' is already defined by 'a' (line 2)")
        #expect(reason("## a\nsee also: b\nDef.\n") == "g.md:2: 'a' refers to 'b', which has no entry")
        #expect(reason("## a\n\n## b\nDef.\n") == "g.md:1: 'a' has no definition")
    }
}
