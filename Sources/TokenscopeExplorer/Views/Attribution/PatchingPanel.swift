import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Activation patching

/// Activation patching from the clean run (the sequence up to the selected token) into a corrupted
/// prompt the user types: the recovered fraction of the metric per layer × position (residual
/// stream) and per layer × head (each head's output at the last position), with progress while it
/// runs.
enum PatchingPanel {
    static func render(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let view = state.attributionView
        var y = area.y
        if let input = view.input {
            let x = canvas.text(" corrupted prompt: ", x: area.x, y: y, style: theme.selection)
            let end = canvas.text(input.text, x: x + 1, y: y, style: .plain, maxWidth: area.width - x - 2)
            canvas.set(min(end, x + 1 + input.cursor), y, "▏", theme.selection)
            canvas.text("  ⏎ runs patching · Esc closes", x: end + 2, y: y, style: theme.muted, maxWidth: max(0, area.x + area.width - end - 2))
            y += 1
        }
        let rest = Rect(x: area.x, y: y, width: area.width, height: area.y + area.height - y)
        if let progress = view.progress, case .patching = progress.request {
            return progressLine("patching: one run per layer × position, then per head", progress.fraction, theme, rest, &canvas)
        }
        if let message = view.message {
            canvas.text(" " + message, x: rest.x, y: rest.y, style: theme.warning, maxWidth: rest.width)
        }
        guard let report = view.patching else {
            let hint = [
                "activation patching: which layers, positions and heads carry the answer?",
                "c: type a corrupted prompt (e.g. \"The Colosseum is in the city of\" against \"The Eiffel Tower is in the city of\"); ⏎ runs it.",
                "The clean run is the sequence up to the selected token. Each run copies one piece of the clean run into the corrupted one",
                "and measures logit(clean answer) − logit(corrupted answer): 0 = as corrupted, 1 = as clean. Esc cancels a run.",
            ]
            canvas.text(" " + hint[0], x: rest.x, y: rest.y + 1, style: theme.selection, maxWidth: rest.width)
            StyledText(hint.dropFirst().joined(separator: " "), style: theme.muted, wraps: true)
                .render(in: Rect(x: rest.x + 1, y: rest.y + 2, width: rest.width - 2, height: max(0, rest.height - 2)), on: &canvas)
            return
        }
        draw(report, state, theme, Rect(x: rest.x, y: rest.y + (view.message == nil ? 0 : 1), width: rest.width, height: rest.height - (view.message == nil ? 0 : 1)), &canvas)
    }

    /// A progress bar with its fraction and how to cancel.
    static func progressLine(_ what: String, _ fraction: Double, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height >= 1 else { return }
        let x = canvas.text(" \(what) ", x: area.x, y: area.y, style: theme.selection, maxWidth: area.width)
        let barWidth = max(0, min(30, area.x + area.width - x - 20))
        let filled = Int((Double(barWidth) * min(1, max(0, fraction))).rounded())
        var end = canvas.text(String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled), x: x, y: area.y, style: theme.attention)
        end = canvas.text(String(format: " %3.0f%%", fraction * 100), x: end, y: area.y, style: .plain)
        canvas.text(" · Esc cancels", x: end, y: area.y, style: theme.muted, maxWidth: max(0, area.x + area.width - end))
    }

    static func draw(_ report: PatchingReport, _ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let m = report.metric
        let clean = state.tokens.prefix(report.position + 1).map(\.text).joined()
        var y = area.y
        canvas.text(" clean \(AttributionView.quoted(clean)) → \(AttributionView.quoted(report.answerText)) · corrupted \(AttributionView.quoted(report.corrupt)) → \(AttributionView.quoted(report.otherText))",
                    x: area.x, y: y, style: theme.selection, maxWidth: area.width)
        y += 1
        canvas.text(String(format: " metric logit(%@) − logit(%@): clean %.2f, corrupted %.2f · colour: fraction recovered, 0 → 1 · %.1f s",
                           AttributionView.quoted(report.answerText), AttributionView.quoted(report.otherText), m.clean, m.corrupt, report.seconds),
                    x: area.x, y: y, style: theme.muted, maxWidth: area.width)
        y += 1
        let layers = state.layerCount
        let bottom = area.y + area.height
        let available = bottom - y - 2  // titles and column labels
        guard available >= 2 else { return }
        let halfBlocks = available < layers
        let label = 4
        let headCell = 2
        let headsWidth = label + report.heads.columns.count * headCell
        var residualWidth = max(0, area.width - headsWidth - 3)
        var x = area.x
        if let residual = report.residual {
            let n = residual.columns.count
            let cell = max(1, min(6, (residualWidth - label) / max(1, n)))
            residualWidth = max(min(residualWidth, 36), label + n * cell)
            canvas.text(" residual stream: layer × position", x: x, y: y, style: theme.header, maxWidth: residualWidth)
            // Column labels: the positions' tokens, as far as the cells let them.
            for p in 0..<n where x + label + p * cell < x + residualWidth {
                let text = TokenSpelling.visible(state.tokens.indices.contains(p) ? state.tokens[p].text : "")
                canvas.text(String(text.prefix(cell)), x: x + label + p * cell, y: y + 1, style: theme.muted)
                canvas.markToken(p, x: x + label + p * cell, y: y + 1, width: min(cell, Canvas.columns(of: String(text.prefix(cell)))))
            }
            heatmap(residual, halfBlocks: halfBlocks, cell: cell, theme, Rect(x: x, y: y + 2, width: residualWidth, height: available), &canvas)
            x += residualWidth + 3
        } else if let note = report.residualNote {
            residualWidth = min(residualWidth, 40)
            let words = note.split(separator: " ")
            var line = " ", row = y
            for word in words {
                if Canvas.columns(of: line + word) > residualWidth - 1 {
                    canvas.text(line, x: x, y: row, style: theme.muted)
                    row += 1
                    line = " "
                }
                line += word + " "
            }
            canvas.text(line, x: x, y: row, style: theme.muted)
            x += residualWidth + 3
        }
        canvas.text("heads at the last position", x: x, y: y, style: theme.header, maxWidth: area.x + area.width - x)
        for head in report.heads.columns where head % 2 == 0 {
            canvas.text("H\(head)", x: x + label + head * headCell, y: y + 1, style: theme.muted)
        }
        heatmap(report.heads, halfBlocks: halfBlocks, cell: headCell, theme, Rect(x: x, y: y + 2, width: headsWidth, height: available), &canvas)
        // The cells that recover most.
        let rows = halfBlocks ? (layers + 1) / 2 : layers
        let bestY = y + 2 + min(rows, available)
        guard bestY < bottom else { return }  // no room: the maps come first
        var best: [String] = []
        if let residual = report.residual, let top = cells(residual).max(by: { $0.value < $1.value }) {
            let token = state.tokens.indices.contains(top.column) ? AttributionView.quoted(state.tokens[top.column].text) : ""
            best.append(String(format: "L%d #%d %@ recovers %.2f", top.layer, top.column, token, top.value))
        }
        for top in cells(report.heads).sorted(by: { $0.value > $1.value }).prefix(3) {
            best.append(String(format: "L%d H%d %.2f", top.layer, top.column, top.value))
        }
        canvas.text(" most recovered: " + best.joined(separator: " · "), x: area.x, y: bestY, style: .plain, maxWidth: area.width)
    }

    static func cells(_ result: PatchingResult) -> [(layer: Int, column: Int, value: Double)] {
        result.recovered.enumerated().flatMap { row, values in values.enumerated().map { (result.layers[row], result.columns[$0.offset], $0.element) } }
    }

    /// Layer labels and the recovered fractions (clamped to 0…1 for colour).
    static func heatmap(_ result: PatchingResult, halfBlocks: Bool, cell: Int, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let rows = result.layers.count, columns = result.columns.count
        let values = result.recovered.flatMap { $0.map { min(1, max(0, $0)) } }
        let map = Heatmap(values: values, rows: rows, columns: columns, halfBlocks: halfBlocks, cellWidth: cell, theme: theme)
        for textRow in 0..<min(map.textRows, area.height) {
            let layer = halfBlocks ? textRow * 2 : textRow
            if !halfBlocks || textRow % 2 == 0 { canvas.text("L\(result.layers[layer])", x: area.x, y: area.y + textRow, style: theme.muted) }
        }
        map.render(in: Rect(x: area.x + 4, y: area.y, width: area.width - 4, height: area.height), on: &canvas)
    }
}
