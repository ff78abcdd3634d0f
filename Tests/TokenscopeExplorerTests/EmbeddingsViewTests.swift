import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Embeddings view

@Suite("Embeddings view")
struct EmbeddingsViewTests {
    @Test func neighboursOfTheSelectedTokenEqualTheLibrarys() throws {
        let explorer = try HeadlessExplorer(keys: "4")
        let report = try #require(explorer.state.embeddingsView.report)
        let engine = try llamaEngine(explorer)
        let space = EmbeddingSpace(model: engine.model)
        let id = explorer.state.tokens[explorer.state.selected].id
        let expected = space.nearest(to: space.vector(of: id), k: 12, excluding: [id])
        #expect(report.staticNeighbours.map(\.id) == expected.map(\.id))
        let lines = explorer.render().lines
        for neighbour in expected.prefix(3) {
            let text = String(format: "%.3f", neighbour.similarity)
            #expect(lines.contains { $0.contains(engine.displayPiece(neighbour.id)) && $0.contains(text) })
        }
    }

    @Test func typedWordAndAnalogy() throws {
        let explorer = try HeadlessExplorer(keys: "4w capital<enter>")
        var report = try #require(explorer.state.embeddingsView.report)
        #expect(explorer.state.embeddingsView.query == " capital")
        #expect(report.queryIDs.count == 1)
        #expect(!report.neighbours.contains { $0.id == report.queryIDs[0] }, "the word itself is left out")
        #expect(explorer.render().plainText.contains("nearest to \"␣capital\""))

        // Replace the text: Ctrl-A moves home, Ctrl-W would delete a word; type an analogy.
        explorer.press("w")
        for _ in 0..<20 { explorer.press("<bs>") }
        explorer.press(" capital - The + is<enter>")
        report = try #require(explorer.state.embeddingsView.report)
        #expect(report.terms.map(\.sign) == [1, -1, 1])
        let engine = try llamaEngine(explorer)
        let space = EmbeddingSpace(model: engine.model)
        let terms = try EmbeddingSpace.parseExpression(" capital - The + is").map { (word: space.spaced($0.word), sign: $0.sign) }
        #expect(terms.map(\.word) == [" capital", "The", " is"], "single-token spaced spellings are preferred")
        let (words, expected) = try space.analogy(terms, k: 12)
        #expect(report.neighbours.map(\.id) == expected.map(\.id))
        let inputs = Set(words.compactMap { $0.ids.count == 1 ? $0.ids[0] : nil })
        #expect(report.neighbours.allSatisfy { !inputs.contains($0.id) }, "inputs excluded")
        #expect(report.points.contains { $0.kind == .term })
        #expect(explorer.render().plainText.contains("capital − The + is ≈"))
    }

    @Test func contextualHiddenStateFollowsTheLayer() throws {
        let explorer = try HeadlessExplorer(keys: "4")
        let engine = try llamaEngine(explorer)
        let position = explorer.state.selected
        var report = try #require(explorer.state.embeddingsView.report)
        #expect(report.layer == 1)
        let hidden = try #require(engine.session.trace.residual(position: position, afterBlocks: 1))
        #expect(abs(report.hiddenNorm - hidden.reduce(0) { $0 + $1 * $1 }.squareRoot()) < 1e-3)
        explorer.press("<down>")
        report = try #require(explorer.state.embeddingsView.report)
        #expect(report.layer == 2)
        #expect(explorer.render().plainText.contains(String(format: "norm %.1f", report.hiddenNorm)))
    }

    @Test func escapeCancelsAndBadInputIsAMessage() throws {
        let explorer = try HeadlessExplorer(keys: "4wxyz<esc>")
        #expect(explorer.state.embeddingsView.input == nil)
        #expect(explorer.state.embeddingsView.query == "")
        explorer.press("w - + <enter>")
        #expect(explorer.state.embeddingsView.report?.message != nil)
        _ = explorer.render()
    }

    @Test func scatterPlacesEveryPointInside() {
        let points = [BrailleScatter.Point(x: -1, y: -1, label: "a"), .init(x: 1, y: 1, label: "b"), .init(x: 0, y: 0.5, label: "c")]
        let layout = BrailleScatter.layout(points, width: 10, height: 4)
        #expect(layout.allSatisfy { $0.cellX >= 0 && $0.cellX < 10 && $0.cellY >= 0 && $0.cellY < 4 })
        #expect(layout[0].cellY == 3 && layout[1].cellY == 0, "y grows upwards")
        var canvas = Canvas(width: 20, height: 4)
        BrailleScatter(points: points).render(in: Rect(x: 0, y: 0, width: 20, height: 4), on: &canvas)
        #expect(canvas.plainText.contains("a") && canvas.plainText.contains("b"))
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func snapshots(size: (Int, Int)) throws {
        let explorer = try HeadlessExplorer(width: size.0, height: size.1, keys: "4")
        assertSnapshot(viewBody(explorer.render()), named: "embeddings-\(size.0)x\(size.1)")
        explorer.press("w capital - The + is<enter>")
        assertSnapshot(viewBody(explorer.render()), named: "embeddings-analogy-\(size.0)x\(size.1)")
    }
}
