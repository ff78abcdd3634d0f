import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Forward-pass view

/// The pipeline for the selected position with live figures (one block laid open, ↑/↓ picks it),
/// the logit lens per layer with the residual, attention and MLP norms, and the KV cache ledger.
enum ForwardView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        guard state.selected < state.tokens.count else { return }
        let token = state.tokens[state.selected]
        canvas.fill(x: body.x, y: body.y, width: body.width, height: 1, style: theme.header)
        canvas.text(" forward pass at token \(state.selected) \"\(token.label)\" · block \(state.layer) laid open (↑/↓ picks the block)",
                    x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        let view = state.forwardView
        guard let details = view.details, details.tokenIDs == state.tokens.map(\.id),
            details.request == .forward(position: state.selected, layer: state.layer),
            let analysis = state.analysis, analysis.position == state.selected
        else {
            canvas.text(view.message ?? " computing the forward pass…", x: body.x, y: body.y + 2, style: view.message == nil ? theme.muted : theme.warning, maxWidth: body.width)
            return
        }
        let ledgerHeight = 2
        let wide = body.width >= 110
        let pipelineWidth = wide ? 58 : body.width
        var pipeline = pipelineLines(state, details, analysis)
        let room = body.height - 1 - ledgerHeight
        let pipelineRows = wide ? room : min(pipeline.count, max(room / 2, room - details.lens.count - 2))
        if pipeline.count > pipelineRows, pipelineRows > 6 {
            // Keep the way in and the way out; drop block stages from the middle.
            let tail = Array(pipeline.suffix(5))
            pipeline = Array(pipeline.prefix(pipelineRows - 6)) + ["  …"] + tail
        }
        var y = body.y + 1
        for (index, line) in pipeline.prefix(max(0, pipelineRows)).enumerated() {
            let style = line.hasPrefix("  ") ? Style.plain : theme.selection
            canvas.text(line, x: body.x, y: y + index, style: index < 2 ? theme.muted : (line.hasPrefix("┃") ? theme.muted : style), maxWidth: pipelineWidth - 1)
        }
        let tableArea = wide
            ? Rect(x: body.x + pipelineWidth, y: y, width: body.width - pipelineWidth, height: body.height - 1 - ledgerHeight)
            : Rect(x: body.x, y: y + pipelineRows, width: body.width, height: body.height - 1 - ledgerHeight - pipelineRows)
        lensTable(state, details, analysis, theme, tableArea, &canvas)
        y = body.y + body.height - ledgerHeight
        ledger(state, details, theme, Rect(x: body.x, y: y, width: body.width, height: ledgerHeight), &canvas)
    }

    static func norm(_ value: Float) -> String { String(format: "‖%.2f‖", value) }

    /// The pipeline, top to bottom, as text lines, drawn from the model's recipe: its norm
    /// (RMSNorm or LayerNorm), how positions enter (RoPE or learned positions), QK-norm, the norms
    /// after each sublayer, the feed-forward network (SwiGLU, GeGLU or GELU) and the embedding scale.
    static func pipelineLines(_ state: AppState, _ d: ForwardDetails, _ analysis: PositionAnalysis) -> [String] {
        let c = d.configuration
        let r = c.recipe
        let b = d.block
        let first = d.embeddingHead.prefix(4).map { String(format: "%.3f", $0) }.joined(separator: " ")
        var lines = [
            "what happens to this token, with the figures of this run",
            "\(c.architecture): " + recipeSummary(c),
            "token id \(d.tokenID)",
            "  embedding row \(d.tokenID) of \(c.vocabularySize)×\(c.width): \(norm(d.embeddingNorm)) [\(first) …]",
        ]
        if r.embeddingScale == .squareRootOfWidth {
            lines.append(String(format: "  × √%d = %.1f (embedding scale)", c.width, Double(c.width).squareRoot()))
        }
        if r.positions == .learned {
            lines.append("  + learned position \(b.position) (row \(b.position) of \(c.contextLength)×\(c.width))")
        }
        lines.append("block \(b.layer) (0–\(c.blockCount - 1)) (input \(norm(b.inputNorm)))")
        lines += blockLines(c, b)
        lines.append("┃ … \(c.blockCount) blocks in all (table →)")
        lines.append("final \(r.normName)".padding(toLength: 35, withPad: " ", startingAt: 0) + norm(d.finalNormedNorm))
        if let best = Softmax.top(analysis.logits, count: 1).first {
            lines.append(String(format: "logits (%d): top %.2f for \"%@\"", c.vocabularySize, best.logit, TokenText.label(best.id, state)))
            lines.append(String(format: "softmax (T = 1): p = %.4f", best.probability))
        }
        if let sampling = state.sampling {
            lines.append("sampled: \"\(TokenText.label(sampling.chosenID, state))\" (id \(sampling.chosenID))")
        }
        return lines
    }

    /// One short line naming the recipe's main choices (`RMSNorm · RoPE · SwiGLU`); the rest (the
    /// embedding scale, windows, shared keys) have lines of their own in the pipeline.
    static func recipeSummary(_ c: ModelConfiguration) -> String {
        let r = c.recipe
        var parts = [r.normName + (r.normalisesSublayerOutputs ? " ×4 per block" : ""), r.positionsName]
        if r.hasQKNorm { parts.append("QK-norm") }
        parts.append(r.feedForwardName)
        return parts.joined(separator: " · ")
    }

    /// The laid-open block's stages, in the order the recipe runs them.
    static func blockLines(_ c: ModelConfiguration, _ b: BlockInspection) -> [String] {
        let r = c.recipe
        func stage(_ text: String, _ value: Float) -> String {
            "  " + (text.count < 30 ? text.padding(toLength: 30, withPad: " ", startingAt: 0) : text + " ") + norm(value)
        }
        let bias = r.hasQKVBias ? " (+ bias)" : ""
        var lines = [
            stage("\(r.normName) (\(c.width))", b.attentionNormedNorm),
            "  Q \(c.headCount)×\(c.headSize) \(norm(b.queryNorm)) K \(c.kvHeadCount)×\(c.headSize) \(norm(b.keyNorm)) V \(c.kvHeadCount)×\(c.headSize) \(norm(b.valueNorm))\(bias)",
        ]
        if r.hasQKNorm { lines.append("  QK-norm: RMSNorm of each head's q and k") }
        if r.positions == .rotary {
            let q0 = b.queryHead.prefix(2).map { String(format: "%.2f", $0) }.joined(separator: " ")
            let r0 = b.rotatedQueryHead.prefix(2).map { String(format: "%.2f", $0) }.joined(separator: " ")
            // The base is named where layers differ in it (Gemma: 10 000 local, 1 000 000 global).
            let base = c.isLocal(layer: b.layer) ? c.localRopeBase : c.ropeBase
            let named = c.localRopeBase != c.ropeBase ? " (base \(Int(base)))" : ""
            lines.append("  RoPE at position \(b.position)\(named): q[0…1] \(q0) → \(r0)")
        }
        if c.isLocal(layer: b.layer) {
            lines.append("  local layer: keys of the last \(c.slidingWindow) positions only")
        } else if case .globalEvery(let period) = r.window, c.slidingWindow > 0 {
            lines.append("  global layer (every \(period)th): keys of every position so far")
        }
        var attention = "attention: \(c.headCount) heads"
        if c.kvHeadCount < c.headCount { attention += " / \(c.kvHeadCount) KV heads (\(c.groupSize) share each)" }
        lines.append(stage(attention, b.contextNorm))
        var projection = "output projection \(c.queryWidth)→\(c.width)"
        if r.hasOutputBias { projection += " + bias" }
        if r.normalisesSublayerOutputs { projection += ", \(r.normName)" }
        lines.append(stage(projection, b.attentionOutputNorm))
        lines.append(stage("+ residual", b.midNorm))
        lines.append(stage("\(r.normName) (\(c.width))", b.mlpNormedNorm))
        let nearZero = String(format: " (%.0f%% ≈ 0)", b.nearZeroFraction * 100)
        switch r.feedForward {
        case .swiGLU, .geGLU:
            lines.append("  gate \(norm(b.gateNorm)) and up \(norm(b.upNorm)) (\(c.mlpWidth))")
            let activation = r.feedForward == .swiGLU ? "SiLU" : "GELU"
            lines.append("  \(activation)(gate) × up \(norm(b.activatedNorm))" + nearZero)
        case .gelu:
            lines.append(stage("up \(c.width)→\(c.mlpWidth) + bias", b.upNorm))
            lines.append("  GELU(up) \(norm(b.activatedNorm))" + nearZero)
        }
        var down = "down \(c.mlpWidth)→\(c.width)"
        if r.feedForwardHasBias { down += " + bias" }
        if r.normalisesSublayerOutputs { down += ", \(r.normName)" }
        lines.append(stage(down, b.mlpOutputNorm))
        lines.append(stage("+ residual", b.outputNorm))
        return lines
    }

    /// The logit lens: one row per depth with the residual norm, the attention and MLP output norms
    /// of the block, and the top token with its probability.
    static func lensTable(_ state: AppState, _ d: ForwardDetails, _ analysis: PositionAnalysis, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height >= 3 else { return }
        let lens = d.lens
        var y = area.y
        let norms = lens.map { Double($0.residualNorm) }
        let x0 = canvas.text(" ‖residual‖ across layers ", x: area.x, y: y, style: theme.muted)
        Sparkline(values: norms, styleForLevel: { level in Style(foreground: theme.rampColor(level)) })
            .render(in: Rect(x: x0, y: y, width: min(norms.count, area.x + area.width - x0), height: 1), on: &canvas)
        y += 1
        canvas.text(" after      ‖resid‖  ‖attn‖   ‖mlp‖ logit lens top      p", x: area.x, y: y, style: theme.header, maxWidth: area.width)
        y += 1
        let room = area.y + area.height - y
        let step = max(1, Int((Double(lens.count) / Double(max(1, room))).rounded(.up)))
        let maxNorm = norms.max() ?? 1
        var indices = Array(stride(from: 0, to: lens.count, by: step))
        if let last = lens.indices.last, indices.last != last {
            if indices.count >= room { indices.removeLast() }
            indices.append(last)
        }
        for index in indices where y < area.y + area.height {
            let row = lens[index]
            let name = row.blocks == 0 ? "embed" : "block \(row.blocks - 1)"
            var x = canvas.text(" " + name.padding(toLength: 9, withPad: " ", startingAt: 0), x: area.x, y: y, style: row.blocks == state.layer + 1 ? theme.selection : .plain)
            x = canvas.text(String(format: "%8.2f", row.residualNorm), x: x, y: y)
            canvas.set(x, y, Sparkline.levels[Sparkline.level(norms[index], low: 0, high: maxNorm)], Style(foreground: theme.rampColor(norms[index] / maxNorm)))
            x += 1
            if row.blocks > 0, row.blocks - 1 < d.attentionNorms.count {
                x = canvas.text(String(format: "%7.2f %7.2f ", d.attentionNorms[row.blocks - 1], d.mlpNorms[row.blocks - 1]), x: x, y: y)
            } else {
                x = canvas.text("      –       – ", x: x, y: y, style: theme.muted)
            }
            if let best = row.top.first {
                let text = "\"\(TokenText.label(best.id, state))\""
                let width = max(4, area.x + area.width - x - 8)
                canvas.text(text, x: x, y: y, style: row.blocks == lens.count - 1 ? theme.selection : .plain, maxWidth: min(width, 18))
                canvas.text(String(format: "%.4f", best.probability), x: x + min(width, 18) + 1, y: y)
            }
            y += 1
        }
    }

    /// Tokens cached, bytes per layer and in total, prefill against decode time.
    static func ledger(_ state: AppState, _ d: ForwardDetails, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let c = d.configuration
        let total = d.kvBytesPerLayer * c.blockCount
        let line1 = " KV cache: " + Plural.count(d.cachedTokens, "token")
            + String(format: " · %@ per layer · %@ in %d layers (K+V %d floats × 4 B per token and layer)",
                     bytes(d.kvBytesPerLayer), bytes(total), c.blockCount, 2 * c.kvWidth)
        canvas.text(line1, x: area.x, y: area.y, style: theme.muted, maxWidth: area.width)
        var line2 = " "
        if let prefill = state.timings.first {
            line2 += String(format: "prefill (time to first token) %.1f ms, ", prefill.milliseconds) + Plural.count(prefill.tokenCount, "token")
                + String(format: " (%.0f tokens/s)", Double(prefill.tokenCount) / max(prefill.milliseconds, 1e-6) * 1000)
        }
        let decodes = state.timings.dropFirst().filter { $0.tokenCount == 1 }
        if !decodes.isEmpty {
            let ms = decodes.map(\.milliseconds).reduce(0, +) / Double(decodes.count)
            line2 += String(format: " · decode %.1f ms/token (%.0f tokens/s)", ms, 1000 / max(ms, 1e-6))
        } else {
            line2 += " · decode: press space to generate a token"
        }
        canvas.text(line2, x: area.x, y: area.y + 1, style: theme.muted, maxWidth: area.width)
    }

    static func bytes(_ count: Int) -> String {
        count >= 1_000_000 ? String(format: "%.2f MB", Double(count) / 1e6) : String(format: "%.1f KB", Double(count) / 1e3)
    }
}
