import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Side by side: the same head's attention on two prompts

/// The attention view split between two prompts: the same layer and head as a heatmap on A (the
/// sequence on screen) and on B (the second prompt), with each side's selected row — what that
/// token attends to — under its map. ←/→ move A's selection and B's follows, lined up from the end
/// (the last token of each by default); `,`/`.` change the head and ↑/↓ the layer on both. The two
/// maps stand side by side, or one above the other when that shows every column and the side by side
/// would not.
enum SplitAttentionView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let view = state.attentionView
        let what = view.averageHeads ? "mean of the layer's heads" : "head \(state.head) (0–\(state.headCount - 1))"
        canvas.fill(x: body.x, y: body.y, width: body.width, height: 1, style: theme.header)
        canvas.text(SideBySideHeading.fitted([
            "layer \(state.layer) (0–\(state.layerCount - 1)) · \(what)", "E edits B", "W swaps", "| leaves", "the same head on two prompts",
            "←/→ token", ",/. head", "↑/↓ layer",
        ], width: body.width), x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        let second = state.secondPrompt
        let ids = state.tokens.map(\.id)
        let a = view.layerData.flatMap { $0.tokenIDs == ids && $0.layer == state.layer && !$0.heads.isEmpty ? $0 : nil }
        let bData = second.layer.flatMap { $0.request == Reducer.wantedSecondPrompt(state) ? $0 : nil }
        let b = bData?.attention.flatMap { $0.heads.isEmpty ? nil : $0 }
        let bTokens = bData?.tokens ?? []
        let bSelected = max(0, bTokens.count - 1 - (state.tokens.count - 1 - state.selected))

        let area = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        let labelWidth = AttentionGrid.labelWidth(state.tokens, bTokens)
        // Four rows of a panel are not grid rows: the prompt, the key labels, the legend, the keys line.
        let panels = AttentionGrid.panels(area, count: max(state.tokens.count, bTokens.count), labelWidth: labelWidth, fixedRows: 4, theme, &canvas)
        let aMatrix = a.map { view.averageHeads ? $0.average : $0.heads[min(state.head, $0.heads.count - 1)] }
        panel("A", state.prompt, state.tokens, aMatrix, selected: state.selected, labelWidth: labelWidth, marksTokens: true,
              waiting: view.message ?? " computing A's attention…", isMessage: view.message != nil, state, theme, panels.0, &canvas)
        if second.prompt.isEmpty {
            canvas.text(" B: no second prompt yet: E types one", x: panels.1.x, y: panels.1.y, style: theme.muted, maxWidth: panels.1.width)
            return
        }
        let bMatrix = b.map { view.averageHeads ? $0.average : $0.heads[min(state.head, $0.heads.count - 1)] }
        panel("B", second.prompt, bTokens, bMatrix, selected: bSelected, labelWidth: labelWidth, marksTokens: false,
              waiting: second.message.map { " " + $0 } ?? " computing B's attention…", isMessage: second.message != nil, state, theme, panels.1, &canvas)
    }

    /// One side: its prompt, the heatmap (rows: each token; columns: the tokens it reads), the
    /// legend and the selected token's strongest keys. Both sides share `labelWidth`, so their
    /// columns line up when their prompts are as long.
    static func panel(_ side: String, _ prompt: String, _ tokens: [TokenInfo], _ matrix: AttentionMatrix?, selected: Int, labelWidth: Int, marksTokens: Bool,
                      waiting: String, isMessage: Bool, _ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        SplitPromptsView.promptLine(side, prompt, tokens: [], position: 0, theme, x: area.x, y: area.y, width: area.width, &canvas)
        guard let matrix, matrix.count == tokens.count, matrix.count > 0 else {
            canvas.text(waiting, x: area.x, y: area.y + 2, style: isMessage ? theme.warning : theme.muted, maxWidth: area.width)
            return
        }
        let view = state.attentionView
        let scale = AttentionView.Scale(matrix: matrix, view: view)
        let n = matrix.count
        let labels = tokens.map(\.label)
        let q = min(max(0, selected), n - 1)
        // Which rows fit: a window that keeps the selected token on screen.
        let gridRows = max(1, area.height - 4)
        let shown = min(n, gridRows)
        let firstRow = max(0, min(q - shown + 1, n - shown))
        let lastRow = firstRow + shown - 1
        let gridWidth = max(1, area.width - labelWidth)
        let columnCount = min(lastRow + 1, gridWidth)
        let firstColumn = lastRow + 1 - columnCount
        let cellWidth = max(1, min(10, gridWidth / columnCount))
        let rowHeight = max(1, min(3, gridRows / shown))
        let top = area.y + 1
        let grid = AttentionGrid(labels: labels, rows: firstRow...lastRow, columns: firstColumn...lastRow, selected: q,
                                 labelWidth: labelWidth, cellWidth: cellWidth, rowHeight: rowHeight, marksTokens: marksTokens)
        grid.draw(x: area.x, top: top, theme, &canvas) { row, key in
            guard key <= row else { return .blank }
            // The first token hidden (the attention sink): an empty cell, no number.
            if view.hideFirst && key == 0 { return .weight(intensity: 0, label: nil) }
            let weight = Double(matrix.value(query: row, key: key))
            return .weight(intensity: scale.intensity(weight), label: AttentionGrid.label(weight, isScore: matrix.isScores))
        }
        let legendY = top + 1 + shown * rowHeight
        let (low, high, caption) = scale.legend
        Heatmap.legend(low: " " + low, high: high, caption: caption + (shown < n ? " · rows \(firstRow)–\(lastRow) of \(n)" : ""),
                       x: area.x, y: legendY, theme: theme, steps: 8, on: &canvas)
        // The selected row: its strongest keys.
        var weights: [(Int, Float)] = (0...q).map { ($0, matrix.value(query: q, key: $0)) }
        if view.hideFirst, weights.count > 1 { weights.removeFirst() }
        weights.sort { $0.1 > $1.1 }
        let format = matrix.isScores ? "%@ %.1f" : "%@ %.2f"
        var line = " token \(q) \(labels[q]) attends to:"
        var y = legendY + 1
        for item in weights.prefix(4).map({ String(format: format, labels[$0.0], $0.1) }) {
            guard y < area.y + area.height else { break }
            if Canvas.columns(of: line) + Canvas.columns(of: item) + 3 > area.width {
                canvas.text(line, x: area.x, y: y, style: .plain, maxWidth: area.width)
                y += 1
                line = "  " + item
            } else {
                line += (line.hasSuffix(":") ? " " : " · ") + item
            }
        }
        if y < area.y + area.height { canvas.text(line, x: area.x, y: y, style: .plain, maxWidth: area.width) }
    }
}

// MARK: - Headings that fit

/// The side by side's heading: the parts that fit in the width, in order, skipping any that would
/// overflow (the first, which names what is shown, always comes).
enum SideBySideHeading {
    static func fitted(_ parts: [String], width: Int) -> String {
        var text = ""
        for part in parts {
            let next = text.isEmpty ? " " + part : text + " · " + part
            if text.isEmpty || Canvas.columns(of: next) <= width { text = next }
        }
        return text
    }
}
