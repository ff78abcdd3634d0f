import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI

/// Ablating heads and MLPs from the attention view, on the tiny real model.
@Suite("Ablation in the attention view")
struct AblationViewTests {
    @Test func aKeyAblatesTheSelectedHeadAndTheDiffIsTheAblatedRun() throws {
        let explorer = try HeadlessExplorer(keys: "3.x")
        let state = explorer.state
        #expect(state.attentionView.ablations == [AblationTarget(layer: 0, head: 1)])
        let diff = try #require(state.attentionView.ablationDiff)
        #expect(diff.position == state.selected && diff.ablations == state.attentionView.ablations)
        // The "after" column is a fresh run of the prefix with that head zeroed.
        let engine = try llamaEngine(explorer)
        let ids = Array(engine.session.tokens[0...state.selected])
        let after = Softmax.probabilities(try TinyModel.model().run(ids, interventions: [.ablateHead(layer: 0, head: 1, .zero)]).session.lastLogits).probabilities
        let before = Softmax.probabilities(try engine.session.logits(at: state.selected)).probabilities
        #expect(!diff.rows.isEmpty)
        for row in diff.rows {
            #expect(abs(Double(row.after) - after[row.id]) < 1e-6 && abs(Double(row.before) - before[row.id]) < 1e-6)
        }
        var kl = 0.0
        for i in before.indices where before[i] > 0 { kl += before[i] * log(before[i] / after[i]) }
        #expect(abs(diff.divergence - kl) < 1e-6)
        let text = explorer.render().plainText
        #expect(text.contains("ablated: L0 H1"))
        #expect(text.contains("KL") && text.contains("→"))
    }

    @Test func ablationsStackToggleAndClear() throws {
        let explorer = try HeadlessExplorer(keys: "3x.xX")
        #expect(explorer.state.attentionView.ablations == [
            AblationTarget(layer: 0, head: 0), AblationTarget(layer: 0, head: 1), AblationTarget(layer: 0, head: nil),
        ])
        #expect(explorer.render().plainText.contains("ablated: L0 H0, L0 H1, L0 MLP"))
        explorer.press("x")
        #expect(explorer.state.attentionView.ablations.count == 2, "the same key restores the head")
        #expect(explorer.state.attentionView.ablationDiff?.ablations == explorer.state.attentionView.ablations)
        explorer.press("C")
        #expect(explorer.state.attentionView.ablations.isEmpty)
        #expect(!explorer.render().plainText.contains("ablated"))
    }
}
