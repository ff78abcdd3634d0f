import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI

/// The attention overview as a learner meets it on a repeated digit sequence ("7 3 9 1 4" typed as
/// "73914" ten times; the tokenizer splits digits one per token): the head that copies the
/// repetition, L18 H6, is labelled induction with its score, and every head scoring ≥ 0.9 on
/// induction there is labelled induction.
@Suite("Overview labels on a repeated sequence", .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct InductionOverviewTests {
    @Test func theOverviewLabelsTheInductionHeadOfTheRepeatedDigits() throws {
        let engine = LiveExplorerEngine(model: try ModelFixture.smolLM2())
        let runtime = ExplorerRuntime(engine: engine, prompt: String(repeating: "73914", count: 10), width: 160, height: 50, synchronous: true)
        for key in Key.parse("3o" + String(repeating: "<Down>", count: 18) + "......") { runtime.send(.key(key)) }
        let overview = try #require(runtime.state.attentionView.overview)
        let strong = overview.heads.filter { ($0.statistics.inductionScore ?? 0) >= 0.9 }
        #expect(strong.map { [$0.layer, $0.head] }.contains([18, 6]), "L18 H6 scores ≥ 0.9 on induction here")
        for head in strong { #expect(head.statistics.pattern == .induction, "L\(head.layer) H\(head.head) is labelled \(String(describing: head.statistics.pattern))") }
        let l18h6 = try #require(overview.heads.first { $0.layer == 18 && $0.head == 6 })
        let percent = Int(((l18h6.statistics.inductionScore ?? 0) * 100).rounded())
        let text = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(text.contains("L18 H6: ") && text.contains("induction (\(percent)%"), "the headline names the selected head's label and score")
        #expect(text.contains("ind \(percent)%"), "the grid cell shows the label with its score")
    }
}
