import Foundation
import TokenscopeTransformer

// MARK: - Forward-pass view

/// The pipeline for the selected position and the logit lens: what the model would predict after each block.
enum ForwardView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        guard state.selected < state.tokens.count else { return }
        let token = state.tokens[state.selected]
        canvas.text(" token \"\(visibleText(token.text))\" (id \(token.id)) → embedding → \(state.layerCount) blocks [RMSNorm → Q,K,V → RoPE → attention (\(state.headCount) heads / \(state.kvHeadCount) KV heads) → +residual → RMSNorm → SwiGLU MLP → +residual] → RMSNorm → logits → softmax",
                    x: body.x, y: body.y, style: theme.muted)
        guard let analysis = state.analysis, analysis.position == state.selected else {
            canvas.text(" computing the logit lens…", x: body.x, y: body.y + 2, style: theme.muted)
            return
        }
        let lens = analysis.lens
        let maxNorm = lens.map(\.residualNorm).max() ?? 1
        var y = body.y + 2
        canvas.text(" after block   ‖residual‖   norm        top prediction (logit lens)            p", x: body.x, y: y, style: theme.header)
        y += 1
        let room = body.y + body.height - y - 2
        let step = max(1, Int((Double(lens.count) / Double(max(1, room))).rounded(.up)))
        let sparks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        for layer in stride(from: 0, to: lens.count, by: step) where y < body.y + body.height - 2 {
            let row = lens[layer]
            let name = row.blocks == 0 ? "embedding" : "block \(row.blocks)"
            let level = Int(Double(row.residualNorm) / Double(maxNorm) * 7)
            var x = canvas.text(" " + name.padding(toLength: 11, withPad: " ", startingAt: 0), x: body.x, y: y, style: .plain)
            x = canvas.text(String(format: "%10.1f   ", row.residualNorm), x: x, y: y, style: .plain)
            canvas.set(x, y, sparks[min(7, max(0, level))], Style(foreground: theme.rampColor(Double(level) / 7)))
            x += 12
            if let best = row.top.first {
                let text = "\"\(visibleText(TokenText.text(best.id, state)))\""
                x = canvas.text(text.padding(toLength: 36, withPad: " ", startingAt: 0), x: x, y: y, style: row.blocks == state.layerCount ? theme.selection : .plain, maxWidth: 36)
                canvas.text(String(format: "%6.2f%%", best.probability * 100), x: x + 1, y: y, style: .plain)
            }
            y += 1
        }
        // KV cache ledger.
        y = body.y + body.height - 2
        let prefill = state.timings.first
        let decodes = state.timings.dropFirst().filter { $0.tokenCount == 1 }
        let decodeMs = decodes.isEmpty ? 0 : decodes.map(\.milliseconds).reduce(0, +) / Double(decodes.count)
        let kvBytes = state.tokens.count * state.kvBytesPerToken
        var ledger = String(format: " KV cache: %d tokens · %.1f MB", state.tokens.count, Double(kvBytes) / 1e6)
        if let prefill { ledger += String(format: " · prefill %d tokens in %.0f ms", prefill.tokenCount, prefill.milliseconds) }
        if decodeMs > 0 { ledger += String(format: " · decode %.1f ms/token (%.0f tokens/s)", decodeMs, 1000 / decodeMs) }
        canvas.text(ledger, x: body.x, y: y, style: theme.muted)
    }
}
