import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - BPE replay on the real SmolLM2 tokenizer

/// The strawberry example on the real default model (which CI fetches first): the replay of the
/// word under the selection ends in exactly the tokens the tokenizer gives it, every merge's rank
/// is the rank the tokenizer records for the token it makes, and stepping back reaches single bytes.
@Suite("Tokens view on the real model", .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct TokensReplayRealModelTests {
    @Test func strawberryReplayEndsInTheTokenizersTokens() throws {
        let model = try ModelFixture.smolLM2()
        let tokenizer = try #require(model.bpeTokenizer)
        let runtime = ExplorerRuntime(engine: LiveExplorerEngine(model: model), prompt: "How many r are in strawberry",
                                      width: 120, height: 40, synchronous: true)
        let ids = tokenizer.encode(" strawberry", parseSpecial: false)
        let replay = try #require(runtime.state.analysis?.replay)
        #expect(replay.word == "␣strawberry")
        #expect(replay.initial.count == 11)
        #expect(replay.parts(after: replay.stepCount) == ids.map { TokenSpelling.visible(tokenizer.decode([$0])) })
        #expect(replay.positions.upperBound == runtime.state.tokens.count && replay.positions.count == ids.count)
        let steps = (1...replay.stepCount).compactMap { replay.merge($0) }
        for step in steps {
            let merged = step.left + step.right
            #expect(step.parts.contains(merged), "merge \(step.rank) made \(merged), not among \(step.parts)")
        }
        // Ranks are what the tokenizer records for the tokens the merges make.
        let finalRanks = ids.compactMap { tokenizer.mergeRank(of: $0) }
        #expect(finalRanks.allSatisfy { rank in steps.contains { $0.rank == rank } })
        let screen = Renderer.render(runtime.state, theme: .monochrome).plainText
        #expect(screen.contains("BPE replay of \"␣strawberry\""))
    }
}
