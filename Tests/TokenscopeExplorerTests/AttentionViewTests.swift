import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Attention: statistics, state, rendering

/// A (query, key) matrix from a row function over `n` positions.
func matrix(_ n: Int, isScores: Bool = false, _ row: (Int) -> [Float]) -> AttentionMatrix {
    var values = [Float](repeating: 0, count: n * n)
    for q in 0..<n { for (k, v) in row(q).enumerated() where k <= q { values[q * n + k] = v } }
    return AttentionMatrix(values: values, count: n, layer: 0, head: 0, isScores: isScores)
}

/// The tiny model's engine behind a headless explorer.
func llamaEngine(_ explorer: HeadlessExplorer) throws -> LiveExplorerEngine {
    guard let engine = explorer.runtime.engine as? LiveExplorerEngine else { throw TmuxLessError("not a Llama engine") }
    return engine
}

struct TmuxLessError: Error { let message: String; init(_ m: String) { message = m } }

@Suite("Attention statistics")
struct AttentionStatisticsTests {
    @Test func detectsThePatterns() {
        let n = 8
        let previous = matrix(n) { q in (0...q).map { $0 == max(0, q - 1) ? 1 : 0 } }
        let first = matrix(n) { q in (0...q).map { $0 == 0 ? 1 : 0 } }
        let own = matrix(n) { q in (0...q).map { $0 == q ? 1 : 0 } }
        let uniform = matrix(n) { q in Array(repeating: 1 / Float(q + 1), count: q + 1) }
        let mixed = matrix(n) { q in (0...q).map { k in k == q || k == 0 ? 0.48 : 0.04 / Float(max(1, q - 1)) } }
        #expect(previous.statistics().pattern == .previousToken)
        #expect(first.statistics().pattern == .firstToken)
        #expect(own.statistics().pattern == .selfToken)
        #expect(uniform.statistics().pattern == .diffuse)
        #expect(mixed.statistics().pattern == nil)
        #expect(own.statistics().entropy == 0)
        // A uniform row over q + 1 keys has log2(q + 1) bits; the mean over rows 1..<n:
        let expected = (1..<n).map { log2(Double($0 + 1)) }.reduce(0, +) / Double(n - 1)
        #expect(abs(uniform.statistics().entropy - expected) < 1e-5)
        #expect(abs(uniform.statistics().normalizedEntropy - 1) < 1e-5)
    }

    @Test func scoresAndSinglePositionsHaveNoPattern() {
        #expect(matrix(1) { _ in [1] }.statistics().pattern == nil)
        #expect(matrix(4, isScores: true) { q in (0...q).map { $0 == q ? 9 : 0 } }.statistics().pattern == nil)
    }

    @Test func poolingAveragesCausalCellsAndLeavesTheFutureEmpty() {
        let m = matrix(4) { q in Array(repeating: 1 / Float(q + 1), count: q + 1) }
        let pooled = m.pooled(size: 2)
        // Top-left block: rows 0–1, keys 0–1, causal cells (0,0) (1,0) (1,1) = 1, 0.5, 0.5.
        #expect(abs(pooled[0] - 2.0 / 3) < 1e-6)
        #expect(pooled[1].isNaN, "keys 2–3 are in the future of queries 0–1")
        #expect(abs(pooled[3] - (1.0 / 3 + 0.25 + 0.25) / 3) < 1e-6)
        #expect(m.pooled(size: 16).count == 16, "never more cells than positions")
    }
}

@Suite("Attention view")
struct AttentionViewTests {
    @Test func movingBetweenHeadsAndLayersNeedsNoModelWork() throws {
        let explorer = try HeadlessExplorer(keys: "3")
        let data = try #require(explorer.state.attentionView.layerData)
        #expect(data.heads.count == TinyModel.headCount)
        var state = explorer.state
        // Heads come from memory: no effect at all.
        #expect(Reducer.reduce(&state, .key(.character("."))).isEmpty)
        #expect(state.head == 1)
        #expect(state.attentionView.layerData == data)
        // Toggles re-render from memory too (except scores, which asks for the layer's scores).
        #expect(Reducer.reduce(&state, .key(.character("l"))).isEmpty)
        #expect(Reducer.reduce(&state, .key(.character("v"))).isEmpty)
        // A new layer asks for exactly one thing: that layer's heads.
        let effects = Reducer.reduce(&state, .key(.down))
        #expect(effects == [.inspect(.layer(1, scores: false))])
        #expect(Reducer.reduce(&state, .key(.character("."))).isEmpty, "a request in flight is not repeated")
    }

    @Test func heatmapRowWeightsEqualTheTrace() throws {
        let explorer = try HeadlessExplorer(keys: "3.<down>")
        let engine = try llamaEngine(explorer)
        let state = explorer.state
        #expect(state.layer == 1 && state.head == 1)
        let expected = try engine.session.attentionMatrix(layer: 1, head: 1)
        let lines = explorer.render().lines
        // The ranked list under the selected row ("1. #7    ␣is    0.998 ███"): compare each with the trace.
        let pattern = /(\d+)\. #(\d+) +\S+ +(\d+\.\d+)/
        let q = state.selected
        var seen = 0
        for line in lines {
            for match in line.matches(of: pattern) {
                let key = Int(match.2)!
                let shown = Float(match.3)!
                #expect(abs(shown - expected.value(query: q, key: key)) <= 0.0005 + 1e-6, "key \(key)")
                seen += 1
            }
        }
        #expect(seen == q + 1, "every key of the row is listed where there is room")
        let title = try #require(lines.first { $0.contains("layer 1 (0–1)") })
        #expect(title.contains("head 1 (0–3)") && title.contains("shares KV head 0 (0–1)"))
        let entropy = String(format: "entropy %.2f bits", expected.statistics().entropy)
        #expect(title.contains(entropy))
    }

    @Test func scoresToggleReadsTheRecordedScores() throws {
        let explorer = try HeadlessExplorer(keys: "3s")
        let data = try #require(explorer.state.attentionView.layerData)
        #expect(data.isScores)
        let engine = try llamaEngine(explorer)
        #expect(data.heads[0] == (try engine.session.attentionMatrix(layer: 0, head: 0, scores: true)))
        #expect(explorer.render().plainText.contains("pre-softmax score"))
    }

    @Test func overviewLabelsEveryHeadWithItsEntropy() throws {
        let explorer = try HeadlessExplorer(keys: "3o")
        let overview = try #require(explorer.state.attentionView.overview)
        #expect(overview.heads.count == TinyModel.blockCount * TinyModel.headCount)
        let engine = try llamaEngine(explorer)
        let text = explorer.render().plainText
        // The overview was gathered from the prompt's f32 rows; the stored matrix is f16: the
        // statistics agree to f16's rounding of the probabilities.
        for summary in overview.heads {
            let stats = try engine.session.attentionMatrix(layer: summary.layer, head: summary.head).statistics(tokenIDs: engine.session.tokens)
            let s = summary.statistics
            #expect(abs(s.entropy - stats.entropy) < 2e-3 && abs(s.normalizedEntropy - stats.normalizedEntropy) < 2e-3)
            #expect(abs(s.previousTokenWeight - stats.previousTokenWeight) < 1e-3 && abs(s.firstTokenWeight - stats.firstTokenWeight) < 1e-3)
            #expect(abs(s.selfWeight - stats.selfWeight) < 1e-3)
            #expect(text.contains(String(format: "%.1f", s.entropy)))
        }
        // Enter opens the head under the cursor.
        explorer.press("<down>.<enter>")
        #expect(explorer.state.attentionView.mode == .head)
        #expect(explorer.render().plainText.contains("layer 1 (0–1) · head 1 (0–3)"))
    }

    @Test func longSequencesZoomOutWithoutTrapping() throws {
        let prompt = String(repeating: "The capital of France is ", count: 12)
        let explorer = try HeadlessExplorer(prompt: prompt, width: 80, height: 24, keys: "3")
        #expect(explorer.state.tokens.count > 100)
        for keys in ["-", "-", "-", "f", "l", "h", "o", "<esc>v", "s"] {
            explorer.press(keys)
            let canvas = explorer.render()
            #expect(canvas.plainText.contains("layer") || canvas.plainText.contains("overview"))
        }
        #expect(explorer.state.attentionView.zoom == 8)
        _ = explorer.render(theme: .monochrome)
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func snapshots(size: (Int, Int)) throws {
        let (width, height) = size
        for (name, keys) in [("head", "3<down>."), ("layer", "3h"), ("overview", "3o"), ("flags", "3flv")] {
            let explorer = try HeadlessExplorer(width: width, height: height, keys: keys)
            assertSnapshot(viewBody(explorer.render()), named: "attention-\(name)-\(width)x\(height)")
        }
    }
}
