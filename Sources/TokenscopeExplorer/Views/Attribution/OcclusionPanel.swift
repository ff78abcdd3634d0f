import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Occlusion

/// Input attribution by occlusion: each token up to the selected one dropped in turn, the model
/// re-run, and the change in log p of the target drawn as the token's colour, with a ranked list.
enum OcclusionPanel {
    static func render(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let view = state.attributionView
        let ids = state.tokens.map(\.id)
        guard state.selected >= 1 else { return AttributionView.status("occlusion needs at least 2 tokens: select a later token", warning: false, theme, area, &canvas) }
        guard let target = Reducer.attributionTarget(state) else { return AttributionView.status("analysing the selected token…", warning: false, theme, area, &canvas) }
        guard let report = view.occlusion, report.tokenIDs == ids, report.position == state.selected, report.occlusion.target == target else {
            if let progress = view.progress, case .occlusion = progress.request {
                return PatchingPanel.progressLine("occlusion: re-running without each token", progress.fraction, theme, area, &canvas)
            }
            return AttributionView.status(view.message ?? "occlusion: re-running without each token…", warning: view.message != nil, theme, area, &canvas)
        }
        let o = report.occlusion
        var y = area.y
        canvas.text(" \(AttributionView.question(state, target: report.targetText)) drop each token, re-run, change of log p · candidate \(view.targetRank + 1) ([/] another)",
                    x: area.x, y: y, style: theme.selection, maxWidth: area.width)
        y += 1
        canvas.text(String(format: " with every token p = %.1f%% (log p %.2f) · colour: size of the change · − helped (dropping it lowers p), + hurt",
                           exp(o.baseline) * 100, o.baseline),
                    x: area.x, y: y, style: theme.muted, maxWidth: area.width)
        y += 2
        let largest = max(1e-9, o.deltas.map { abs($0) }.max() ?? 1)
        // The prompt, token by token, coloured by effect and wrapped at the body's width.
        var x = area.x + 1
        let bottom = area.y + area.height
        for (position, delta) in o.deltas.enumerated() where position < state.tokens.count {
            let text = TokenSpelling.visible(state.tokens[position].text)
            let w = Canvas.columns(of: text)
            if x + w > area.x + area.width - 1 {
                x = area.x + 1
                y += 1
            }
            guard y < bottom - 1 else { break }
            var style = theme.rampLabel(abs(delta) / largest)
            if position == state.selected { style.underline = true }
            canvas.text(text, x: x, y: y, style: style)
            canvas.markToken(position, x: x, y: y, width: w)
            x += w
        }
        y += 2
        guard y < bottom else { return }
        canvas.text(" most effect              change    p without it", x: area.x, y: y, style: theme.header, maxWidth: area.width)
        y += 1
        let ranked = o.deltas.enumerated().sorted { abs($0.element) > abs($1.element) }
        for (position, delta) in ranked.prefix(max(0, bottom - y)) {
            let text = TokenSpelling.visible(state.tokens[position].text)
            let name = String(format: "#%d ", position) + "\"" + (text.count > 14 ? String(text.prefix(13)) + "…" : text) + "\""
            let line = String(format: " %@ %+8.3f   %6.2f%%  %@", name.padding(toLength: 22, withPad: " ", startingAt: 0), delta,
                              exp(o.baseline + delta) * 100, delta < 0 ? "helped" : "hurt")
            canvas.text(line, x: area.x, y: y, style: delta < 0 ? .plain : theme.warning, maxWidth: area.width)
            y += 1
        }
    }
}
