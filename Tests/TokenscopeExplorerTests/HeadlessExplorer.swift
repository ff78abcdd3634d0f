import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI

// MARK: - The tiny model behind the explorer

extension TinyModel {
    /// A fresh engine (its own session) over the shared tiny model.
    static func engine() throws -> LiveExplorerEngine { LiveExplorerEngine(model: try model()) }
}

// MARK: - Running the explorer headless

/// Runs the real reducer and runtime synchronously (effects execute inline on the tiny model) and
/// renders frames: the same path `tokenscope render` takes.
struct HeadlessExplorer {
    let runtime: ExplorerRuntime

    /// Opens the explorer on `prompt` at `width` × `height` and presses `keys` (the `--keys` syntax).
    init(prompt: String = "The capital of France is", width: Int = 120, height: Int = 40, keys: String = "") throws {
        runtime = ExplorerRuntime(engine: try TinyModel.engine(), prompt: prompt, width: width, height: height, synchronous: true)
        press(keys)
    }

    /// Presses keys written in the `--keys` syntax.
    func press(_ keys: String) {
        for key in Key.parse(keys) { runtime.send(.key(key)) }
    }

    /// Sends any action.
    func send(_ action: Action) { runtime.send(action) }

    /// Clicks cell (x, y) of the screen as it is now drawn with `theme`, as the terminal does.
    func click(x: Int, y: Int, theme: Theme = .dark) {
        runtime.send(.click(x: x, y: y), frame: render(theme: theme))
    }

    /// The state now.
    var state: AppState { runtime.state }

    /// The screen now.
    func render(theme: Theme = .dark) -> Canvas { Renderer.render(runtime.state, theme: theme) }
}

// MARK: - The harness's own checks

@Suite("Headless explorer on the tiny model")
struct HeadlessExplorerTests {
    @Test func runsTheForwardPassDeterministically() throws {
        let a = try HeadlessExplorer()
        let b = try HeadlessExplorer()
        #expect(a.state.tokens.map(\.piece) == ["The", "Ġcapital", "Ġof", "ĠF", "ra", "nc", "e", "Ġis"])
        #expect(a.state.busy == nil)
        let logits = try #require(a.state.analysis?.logits)
        #expect(logits.count == TinyModel.vocabulary.count)
        #expect(logits.allSatisfy { $0.isFinite })
        #expect(Set(logits).count > 10, "the logits must vary: a degenerate model would show nothing")
        #expect(a.state.analysis == b.state.analysis)
    }
}
