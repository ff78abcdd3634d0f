import Foundation
import TokenscopeTransformer

// MARK: - Attention view

/// One head's attention as a heatmap (queries down, keys across), and the selected token's row as text.
enum AttentionView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let kvHead = state.head / max(1, state.headCount / max(1, state.kvHeadCount))
        canvas.text(" layer \(state.layer + 1)/\(state.layerCount) · head \(state.head + 1)/\(state.headCount) · shares KV head \(kvHead + 1) of \(state.kvHeadCount) (grouped-query attention)",
                    x: body.x, y: body.y, style: theme.header)
        guard let analysis = state.analysis, analysis.position == state.selected else {
            canvas.text(" computing attention…", x: body.x, y: body.y + 2, style: theme.muted)
            return
        }
        let matrix = analysis.attention
        let n = matrix.count
        let labelWidth = 10
        let mapHeight = max(1, body.height - 6)
        let mapWidth = max(1, (body.width - labelWidth - 3))
        // Window of positions that fits, ending at the selection (one cell per key, one row per query).
        let rows = min(n, mapHeight), cols = min(n, mapWidth)
        let lastRow = max(rows - 1, min(n - 1, state.selected + rows / 2))
        let firstRow = max(0, lastRow - rows + 1)
        let firstCol = max(0, min(n - cols, lastRow - cols + 1))
        var y = body.y + 1
        for q in firstRow..<(firstRow + rows) {
            let label = String(visibleText(state.tokens[q].text).prefix(labelWidth - 1))
            canvas.text(label, x: body.x + 1, y: y, style: q == state.selected ? theme.selection : theme.muted, maxWidth: labelWidth - 1)
            for k in firstCol..<(firstCol + cols) {
                let x = body.x + labelWidth + 1 + (k - firstCol)
                if k > q {
                    canvas.set(x, y, "·", theme.muted)
                    continue
                }
                let value = Double(matrix.value(query: q, key: k))
                let intensity = value.squareRoot()  // sqrt spreads small weights so patterns show
                if theme.hasColor {
                    canvas.set(x, y, " ", Style(background: theme.rampColor(intensity)))
                } else {
                    canvas.set(x, y, Theme.shade(intensity), .plain)
                }
            }
            y += 1
        }
        // Legend.
        var x = canvas.text(" 0 ", x: body.x + labelWidth, y: y, style: theme.muted)
        for step in 0..<12 {
            let v = Double(step) / 11
            if theme.hasColor { canvas.set(x + step, y, " ", Style(background: theme.rampColor(v))) } else { canvas.set(x + step, y, Theme.shade(v), .plain) }
        }
        x += 12
        canvas.text(" 1 (colour ∝ √weight; rows: queries, columns: keys, · = future)", x: x, y: y, style: theme.muted)
        y += 2
        // The selected row as text, shaded by weight, and the strongest keys.
        let q = state.selected
        canvas.text(" token \(q + 1) \"\(visibleText(state.tokens[q].text))\" attends to:", x: body.x, y: y, style: .plain)
        y += 1
        var weights: [(Int, Float)] = (0...q).map { ($0, matrix.value(query: q, key: $0)) }
        weights.sort { $0.1 > $1.1 }
        let top = weights.prefix(5).map { String(format: "\"%@\" %.2f", visibleText(state.tokens[$0.0].text), $0.1) }
        canvas.text("  " + top.joined(separator: " · "), x: body.x, y: y, style: theme.muted)
        y += 1
        var tx = body.x + 1
        for k in max(0, q - 40)...q where tx < body.x + body.width - 2 {
            let value = Double(matrix.value(query: q, key: k)).squareRoot()
            let style = theme.hasColor ? Style(foreground: value > 0.6 ? .indexed(16) : .indexed(231), background: theme.rampColor(value)) : (value > 0.5 ? Style(bold: true, reverse: true) : .plain)
            tx = canvas.text(visibleText(state.tokens[k].text), x: tx, y: y, style: style, maxWidth: body.x + body.width - 2 - tx)
        }
    }
}
