import Foundation
import Testing
import TokenscopeTransformer
@testable import TokenscopeExplorer

// MARK: - Stepping, undo and refused prompts keep the sequence whole

/// A step from an earlier position branches without losing the original: undo brings the whole
/// sequence back exactly. A prompt the model refuses (longer than its context) changes nothing:
/// the sequence, the views, undo and the prompt editor stay as they were.
@Suite("Sequence history")
struct SequenceHistoryTests {
    /// The tokens the engine holds (what the next step continues from).
    static func engineTokens(_ explorer: HeadlessExplorer) -> [Int]? {
        (explorer.runtime.engine as? LiveExplorerEngine)?.session.tokens
    }

    @Test func aStepAtAnEarlierPositionCanBeUndoneExactly() throws {
        let explorer = try HeadlessExplorer(prompt: "The capital of France is")
        let original = explorer.state.tokens
        let originalAnalysis = explorer.state.analysis
        explorer.press("2<Home><Right><Right><Space>")
        #expect(explorer.state.tokens.count == 4, "the step continues after position 2")
        #expect(explorer.state.tokens.last?.generated == true)
        #expect(explorer.state.status.contains("u brings back"), "\(explorer.state.status)")
        explorer.press("u")
        #expect(explorer.state.tokens == original)
        #expect(Self.engineTokens(explorer) == original.map(\.id), "the engine holds the restored sequence")
        #expect(explorer.state.busy == nil)
        // The restored sequence continues as before: the last position's analysis is the same.
        explorer.press("<End>")
        // The restored positions run as one batch (the prompt ran as another): the same numbers up to rounding.
        let restored = try #require(explorer.state.analysis), first = try #require(originalAnalysis)
        #expect(restored.position == first.position)
        #expect(zip(restored.logits, first.logits).allSatisfy { abs($0 - $1) < 1e-3 })
        explorer.press("u")
        #expect(explorer.state.status == "nothing generated to undo")
    }

    @Test func stepsAfterABranchUndoOneByOneThenRestore() throws {
        let explorer = try HeadlessExplorer(prompt: "The capital of France is")
        let original = explorer.state.tokens
        explorer.press("2<Home><Right><Space><Space><Space>")
        #expect(explorer.state.tokens.count == 5)
        explorer.press("u")
        #expect(explorer.state.tokens.count == 4)
        explorer.press("u")
        #expect(explorer.state.tokens.count == 3)
        explorer.press("u")
        #expect(explorer.state.tokens == original)
    }

    @Test func aRefusedPromptChangesNothing() throws {
        let explorer = try HeadlessExplorer(prompt: "The capital of France is")
        explorer.press("2<Space>")
        let before = explorer.state.tokens
        let prompt = explorer.state.prompt
        // Longer than the tiny model's context of 256 tokens.
        explorer.press("e" + String(repeating: " a", count: 300) + "<Enter>")
        #expect(explorer.state.busy == nil)
        #expect(explorer.state.tokens == before)
        #expect(explorer.state.prompt == prompt)
        #expect(explorer.state.status.contains("refused"), "\(explorer.state.status)")
        #expect(Self.engineTokens(explorer) == before.map(\.id))
        // Stepping continues the sequence on screen, undo still works, e reopens the prompt on screen.
        explorer.press("<Space>")
        #expect(explorer.state.tokens.count == before.count + 1)
        #expect(Array(explorer.state.tokens.prefix(before.count)) == before)
        #expect(explorer.state.analysis?.position == before.count)
        explorer.press("uu")
        #expect(explorer.state.tokens.count == before.count - 1)
        explorer.press("e")
        #expect(explorer.state.editor?.text == prompt)
    }
}
