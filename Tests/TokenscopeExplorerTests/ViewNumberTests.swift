import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - `view N` follows the tab numbers

/// A lesson's or demo's `view N` (and `--view N`) names the N-th tab the user sees: with an encoder
/// open, 2 (or `sampling`) is the similarity tab, shown in sampling's place; `similarity` opens the
/// similarity view on a decoder too.
@Suite("View numbers follow the tabs", .serialized)
struct ViewNumberTests {
    static func setup(_ directives: [(String, String)]) throws -> Setup {
        var setup = Setup()
        for (name, value) in directives { try setup.set(name, value) }
        return setup
    }

    @Test func onADecoderTwoIsSampling() throws {
        let explorer = try HeadlessExplorer()
        for (value, expected) in [("2", ViewKind.sampling), ("3", .attention), ("7", .search), ("similarity", .similarity)] {
            explorer.send(.setup(try Self.setup([("view", value)])))
            #expect(explorer.state.view == expected, "view \(value)")
        }
        #expect(throws: SetupDirectiveError.self) { try Self.setup([("view", "8")]) }
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func onAnEncoderTwoIsTheSimilarityTab() throws {
        let encoder = try SentenceEncoder(folder: try ModelFixture.requireMiniLMFolder())
        let runtime = ExplorerRuntime(engine: EncoderExplorerEngine(encoder: encoder), prompt: "The cat sat on the mat.", width: 120, height: 40, synchronous: true)
        for value in ["2", "sampling", "similarity"] {  // the second tab, whichever name
            runtime.send(.setup(try Self.setup([("view", "1")])))
            #expect(runtime.state.view == .tokens)
            runtime.send(.setup(try Self.setup([("view", value)])))
            #expect(runtime.state.view == .similarity, "view \(value)")
            #expect(runtime.state.tabs[1] == .similarity)
            #expect(Renderer.render(runtime.state, theme: .dark).plainText.contains("similarity · sentence embeddings"))
        }
        // The demo script grammar takes the same number.
        let demo = try DemoScript.parse("step A\nview 2\n", file: "d.txt")
        runtime.send(.setup(demo.steps[0].setup))
        #expect(runtime.state.view == .similarity)
    }
}
