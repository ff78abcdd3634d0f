import Foundation
import Testing
import TokenscopeTransformer
@testable import TokenscopeExplorer
import TokenscopeTestSupport

// MARK: - Forward-pass view

@Suite("Forward-pass view")
struct ForwardViewTests {
    @Test func blockInspectionReproducesTheTrace() throws {
        let explorer = try HeadlessExplorer(keys: "5")
        let session = try llamaEngine(explorer).session
        for layer in 0..<TinyModel.blockCount {
            for position in 0..<session.count {
                let block = try session.inspectBlock(layer: layer, position: position)
                let recorded = try #require(session.trace.residual(position: position, afterBlocks: layer + 1))
                let worst = zip(block.output, recorded).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst < 1e-4, "layer \(layer) position \(position): \(worst)")
                #expect(abs(block.attentionOutputNorm - (session.trace.attentionOutputNorm(position: position, layer: layer) ?? -1)) < 1e-3)
                #expect(abs(block.mlpOutputNorm - (session.trace.mlpOutputNorm(position: position, layer: layer) ?? -1)) < 1e-3)
            }
        }
        #expect(throws: ModelError.self) { try session.inspectBlock(layer: TinyModel.blockCount, position: 0) }
        #expect(throws: ModelError.self) { try session.inspectBlock(layer: 0, position: session.count) }
    }

    @Test func lensTableShowsTheTracesNormsAndTopTokens() throws {
        let explorer = try HeadlessExplorer(keys: "5")
        let session = try llamaEngine(explorer).session
        let position = explorer.state.selected
        let lens = try session.logitLens(position: position, top: 1)
        let lines = explorer.render().lines
        for layer in lens {
            let name = layer.blocks == 0 ? "embed" : "block \(layer.blocks - 1)"
            let label = " " + name.padding(toLength: 9, withPad: " ", startingAt: 0)
            let line = try #require(lines.first { $0.contains(label) && $0.contains("\"") }, "no lens row for \(name)")
            let row = try #require(line.range(of: label).map { String(line[$0.upperBound...]) })
            let numbers = row.split(separator: " ").compactMap { Float($0.trimmingCharacters(in: CharacterSet(charactersIn: "▁▂▃▄▅▆▇█"))) }
            let norm = try #require(numbers.first, "no norm in \(row)")
            #expect(abs(norm - layer.residualNorm) <= 0.005 + 1e-4, "\(name): \(norm) vs \(layer.residualNorm)")
            let probability = try #require(numbers.last)
            #expect(abs(probability - layer.top[0].probability) <= 0.00005 + 1e-6)
            if layer.blocks > 0 {
                let attention = try #require(session.trace.attentionOutputNorm(position: position, layer: layer.blocks - 1))
                #expect(row.contains(String(format: "%7.2f", attention)))
            }
        }
        // The final layer's lens is the model's own prediction, and the pipeline names the same token.
        let best = try #require(Softmax.top(try session.logits(at: position), count: 1).first)
        #expect(lens.last?.top.first?.id == best.id)
        #expect(lines.contains { $0.contains(String(format: "softmax (T = 1): p = %.4f", best.probability)) })
    }

    @Test func kvLedgerCountsTheCache() throws {
        let explorer = try HeadlessExplorer(keys: "5")
        let session = try llamaEngine(explorer).session
        let text = explorer.render().plainText
        #expect(text.contains("KV cache: \(session.count) tokens"))
        let perLayer = session.kvCacheBytesPerLayer
        #expect(perLayer == session.count * 2 * session.model.configuration.kvWidth * 4)
        #expect(text.contains(ForwardView.bytes(perLayer) + " per layer"))
        #expect(text.contains("prefill (time to first token)"))
        explorer.press(" ")
        #expect(explorer.render().plainText.contains("ms/token"), "a decode step shows its time")
    }

    @Test func upAndDownOpenAnotherBlock() throws {
        let explorer = try HeadlessExplorer(keys: "5<down>")
        #expect(explorer.state.forwardView.details?.block.layer == 1)
        #expect(explorer.render().plainText.contains("block 1 (0–\(TinyModel.blockCount - 1))"))
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func snapshots(size: (Int, Int)) throws {
        let explorer = try HeadlessExplorer(width: size.0, height: size.1, keys: "5")
        // Timings vary from run to run: blank the ledger's second line before comparing.
        var canvas = explorer.render()
        if let row = canvas.lines.firstIndex(where: { $0.contains("prefill (time to first token)") }) {
            canvas.fill(x: 0, y: row, width: canvas.width, height: 1)
        }
        assertSnapshot(viewBody(canvas), named: "forward-\(size.0)x\(size.1)")
    }
}
