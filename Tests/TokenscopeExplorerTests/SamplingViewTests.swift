import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Sampling view: numbers, controls, stepping, snapshots

@Suite("Sampling view")
struct SamplingViewTests {
    /// The candidate rows on screen: lines that start with the chosen/actual markers and a rank.
    static func rows(_ canvas: Canvas) -> [String] {
        canvas.lines.filter { $0.range(of: #"^ [ ▶][ ◆]\s+\d+ "#, options: .regularExpression) != nil }
    }

    @Test func candidatesThatAreNotWholeCharactersShowTheirBytes() throws {
        let engine = try TinyModel.engine()
        let tokenizer = try TinyModel.model().tokenizer
        // Byte-level BPE has a token for every byte; 0xE2 alone starts a three-byte character.
        let lead = try #require((0..<tokenizer.vocabularySize).first { tokenizer.tokenBytes($0) == [0xE2] })
        #expect(tokenizer.decode([lead]) == "\u{FFFD}", "decoding alone loses the byte")
        #expect(engine.candidateText(lead) == "‹E2›")
        let word = try #require(tokenizer.encode("The", parseSpecial: false).first)
        #expect(engine.candidateText(word) == tokenizer.decode([word]))
    }

    @Test func renderedNumbersEqualTheSamplersForTheStoredLogits() throws {
        // Temperature 1.3, top-k 10, top-p 0.8: some candidates survive, some are removed by each filter.
        let explorer = try HeadlessExplorer(keys: "2TTTTTkkkkkkppp")
        let state = explorer.state
        #expect(state.settings.temperature == 1.3 && state.settings.topK == 10 && abs(state.settings.topP - 0.8) < 1e-6)
        let analysis = try #require(state.analysis)
        let expected = Sampler.sample(logits: analysis.logits, settings: state.settings, position: state.selected + 1, listing: 64)
        let canvas = explorer.render()
        let rows = Self.rows(canvas)
        #expect(rows.count >= 20)
        var cumulative = 0.0
        for (row, candidate) in zip(rows, expected.candidates) {
            cumulative += candidate.probability
            let tokenizer = try TinyModel.model().tokenizer
            let bytes = tokenizer.tokenBytes(candidate.id)
            let text = String(validating: bytes, as: UTF8.self) == nil
                ? TokenSpelling.hex(bytes) : TokenSpelling.visible(tokenizer.decode([candidate.id]))
            #expect(row.contains(String(format: "%6d %@", candidate.rank + 1, text)), "\(row)")
            #expect(row.contains(String(format: "%7.2f%%", candidate.probability * 100)), "\(row)")
            #expect(row.contains(String(format: "%8.3f", candidate.logit)), "\(row)")
            // With top-k on, the column is the cumulative top-p cuts on: renormalised over the top-k set.
            let inTopK = expected.settings.topK > 0 && expected.settings.topP < 1 && expected.keptAfterTopK < expected.vocabularySize
            let cumul = !inTopK ? String(format: "%6.3f", cumulative)
                : (candidate.rank >= expected.keptAfterTopK ? "     —" : String(format: "%6.3f", cumulative / expected.massAfterTopK))
            #expect(row.contains(cumul), "\(row)")
            if let filter = candidate.removedBy {
                #expect(row.hasSuffix("✗ \(filter.rawValue)") && row.contains("—"), "\(row)")
            } else {
                #expect(row.contains(String(format: "%6.2f%%", candidate.keptProbability * 100)), "\(row)")
                #expect(!row.contains("✗"))
            }
            #expect(row.hasPrefix(candidate.id == expected.chosenID ? " ▶" : "  "))
        }
        #expect(expected.candidates.contains { $0.removedBy == .topK } && expected.candidates.contains { $0.removedBy == .topP })
        let screen = canvas.plainText
        #expect(screen.contains(String(format: "entropy %.2f bits · perplexity %.1f", expected.entropyBits, expected.perplexity)))
        #expect(screen.contains("kept of 275: top-k 10 → top-p \(expected.survivorCount)"))
        #expect(screen.contains(String(format: "u = %.3f → ", expected.draw)))
        // The dice marker sits at u along the strip.
        let diceRow = try #require(canvas.lines.firstIndex { $0.hasPrefix(" dice ") })
        let markerColumn = try #require((0..<canvas.width).first { canvas[$0, diceRow + 1]?.character == "▲" })
        let stripWidth = max(10, canvas.width - 6 - 34)
        #expect(markerColumn == 6 + min(stripWidth - 1, Int(expected.draw * Double(stripWidth))))
    }

    @Test func liveControlsReRenderWithoutModelWork() throws {
        let explorer = try HeadlessExplorer(keys: "2")
        var state = explorer.state
        let before = state.analysis
        for key in ["t", "T", "k", "K", "p", "P", "m", "M", "s"] {
            #expect(Reducer.reduce(&state, .key(.character(Character(key)))).isEmpty, "key \(key) asked for model work")
        }
        #expect(state.analysis == before)
        for _ in 0..<30 { _ = Reducer.reduce(&state, .key(.character("T"))) }
        #expect(state.settings.temperature == 2)
        for _ in 0..<30 { _ = Reducer.reduce(&state, .key(.character("t"))) }
        #expect(state.settings.temperature == 0 && state.settings.isGreedy)
        #expect(Renderer.render(state, theme: .dark).plainText.contains("temperature 0.0 (greedy)"))
    }

    @Test func stepForceAndUndo() throws {
        let explorer = try HeadlessExplorer(keys: "2" + String(repeating: "t", count: 8))
        let start = explorer.state.tokens
        let logits = try #require(explorer.state.analysis?.logits)
        let ranked = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        // Greedy step: the argmax, with probability and rank 0 recorded.
        explorer.press(" ")
        #expect(explorer.state.tokens.count == start.count + 1)
        let stepped = try #require(explorer.state.tokens.last)
        #expect(stepped.id == ranked[0] && stepped.generated && stepped.rank == 0)
        #expect(explorer.state.selected == start.count)
        // Undo, then force the second candidate: a branch.
        explorer.press("u")
        #expect(explorer.state.tokens == start)
        explorer.press("<down><enter>")
        let forced = try #require(explorer.state.tokens.last)
        #expect(explorer.state.tokens.count == start.count + 1 && forced.id == ranked[1] && forced.rank == 1)
        let screen = explorer.render().plainText
        #expect(screen.contains("steps (model p at T=1): \(start.count) \"\(forced.label)\""))
        #expect(screen.contains(" #2"))
        explorer.press("u")
        #expect(explorer.state.tokens == start)
    }

    @Test func earlierPositionsShowWhatWasActuallyThere() throws {
        let explorer = try HeadlessExplorer(keys: "2<home><right>")
        let state = explorer.state
        #expect(state.selected == 1)
        let next = state.tokens[2]
        let screen = explorer.render()
        #expect(screen.plainText.contains("actually followed by \"\(TokenSpelling.visible(next.text))\""))
        let rank = try #require(next.rank)
        if rank < Self.rows(screen).count {
            #expect(Self.rows(screen)[rank].hasPrefix("  ◆") || Self.rows(screen)[rank].hasPrefix(" ▶◆"))
        }
        #expect(Self.rows(screen).filter { $0.contains("◆") }.count == (rank < Self.rows(screen).count ? 1 : 0))
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func snapshot(width: Int, height: Int) throws {
        // Two sampled steps with the default settings and seed, then the dice of the third.
        let explorer = try HeadlessExplorer(width: width, height: height, keys: "2  <down>")
        assertSnapshot(samplingBodyOnly(explorer.render()), named: "sampling-\(width)x\(height)")
    }
}

/// The canvas with the shell's header and footer rows blanked, so the snapshot pins only this view.
func samplingBodyOnly(_ canvas: Canvas) -> Canvas {
    var out = canvas
    for row in [0, 1, canvas.height - 2, canvas.height - 1] { out.fill(x: 0, y: row, width: canvas.width, height: 1) }
    return out
}
