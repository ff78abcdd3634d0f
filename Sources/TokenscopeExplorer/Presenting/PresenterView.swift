import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Presenter mode

/// The views for a projector: little chrome, and the one figure that matters drawn as large as the
/// body allows — the highlighted candidate and its probability in block letters (sampling), the
/// attention heatmap filling the body with its tokens on both axes (attention), and the logit-lens
/// answer after every block (forward). Other views draw as usual.
enum PresenterView {
    /// Views with a presenter layout.
    static let views: Set<ViewKind> = [.sampling, .attention, .forward]

    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        switch state.view {
        case .sampling: sampling(state, theme, body, &canvas)
        case .attention: attention(state, theme, body, &canvas)
        case .forward: forward(state, theme, body, &canvas)
        default: break
        }
    }

    /// A strong style for big figures: the theme's colour for probabilities, bold.
    static func figureStyle(_ theme: Theme) -> Style {
        var style = theme.hasColor ? Style(foreground: theme.probability.foreground) : Style()
        style.bold = true
        return style
    }

    // MARK: Sampling

    static func sampling(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        guard state.selected < state.tokens.count, let result = SamplingView.result(state, rows: 5), !result.candidates.isEmpty else {
            canvas.text(" computing the distribution…", x: body.x, y: body.y + 1, style: theme.muted)
            return
        }
        let index = min(state.candidate, result.candidates.count - 1)
        let candidate = result.candidates[index]
        let after = TokenSpelling.visible(state.tokens[state.selected].text)
        let s = state.settings
        let heading = " after \"\(after)\" (token \(state.selected)) · candidate \(index + 1) · temperature "
            + String(format: "%.1f", s.temperature) + (s.isGreedy ? " (greedy)" : "")
        canvas.text(heading, x: body.x, y: body.y, style: theme.muted, maxWidth: body.width)
        let text = TokenSpelling.visible(TokenText.text(candidate.id, state))
        let percent = String(format: candidate.probability >= 0.995 ? "%.0f%%" : "%.1f%%", candidate.probability * 100)
        let listRows = min(5, result.candidates.count)
        let bigHeight = body.height - 2 - listRows - 1
        var y = body.y + 2
        // Both figures at the same scale, the largest that fits; one line each.
        let width = body.width - 2
        if let font = [4, 3, 2, 1].lazy.map(BlockFont.init).first(where: {
            $0.width(of: text) <= width && $0.width(of: percent) <= width && 2 * $0.rows + 1 <= bigHeight
        }) {
            font.render(text, x: body.x + 1, y: y, style: figureStyle(theme), on: &canvas)
            y += font.rows + 1
            var probability = figureStyle(theme)
            if candidate.removedBy != nil { probability = theme.muted; probability.bold = true }
            font.render(percent, x: body.x + 1, y: y, style: probability, on: &canvas)
            y += font.rows + 1
        } else {
            var style = figureStyle(theme)
            style.underline = true
            canvas.text(" \(text)  \(percent)", x: body.x, y: y, style: style, maxWidth: body.width)
            y += 2
        }
        // The runners-up, one line each.
        let maximum = result.candidates.first?.probability ?? 1
        let first = max(0, min(index - listRows + 1, result.candidates.count - listRows))
        for (offset, c) in result.candidates.dropFirst(first).prefix(listRows).enumerated() where y < body.y + body.height {
            let selected = first + offset == index
            let style = selected ? theme.selection : (c.removedBy != nil ? theme.muted : Style.plain)
            if selected { canvas.fill(x: body.x, y: y, width: body.width, height: 1, style: style) }
            let name = TokenSpelling.visible(TokenText.text(c.id, state))
            var x = canvas.text(String(format: " %2d ", c.rank + 1), x: body.x, y: y, style: style)
            x = canvas.text(name.padding(toLength: 14, withPad: " ", startingAt: 0), x: x, y: y, style: style, maxWidth: 14) + 1
            let barWidth = max(4, body.width - x - 18)
            let fraction = maximum > 0 ? c.probability / maximum : 0
            let barStyle = selected ? theme.selection : (theme.hasColor && c.removedBy == nil ? Style(foreground: theme.rampColor(fraction)) : style)
            canvas.text(BarChart.bar(fraction, width: barWidth), x: x, y: y, style: barStyle, maxWidth: barWidth)
            x += barWidth + 1
            canvas.text(String(format: "%6.2f%%", c.probability * 100) + (c.removedBy.map { " ✗ \($0.rawValue)" } ?? ""), x: x, y: y, style: style)
            y += 1
        }
    }

    // MARK: Attention

    static func attention(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let view = state.attentionView
        guard let data = view.layerData, data.tokenIDs == state.tokens.map(\.id), data.layer == state.layer, !data.heads.isEmpty else {
            canvas.text(" layer \(state.layer) (0–\(state.layerCount - 1)) · head \(state.head) (0–\(state.headCount - 1))", x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
            canvas.text(view.message ?? " computing the attention…", x: body.x, y: body.y + 2, style: view.message == nil ? theme.muted : theme.warning, maxWidth: body.width)
            return
        }
        let head = min(state.head, data.heads.count - 1)
        let matrix = view.averageHeads ? data.average : data.heads[head]
        let scale = AttentionView.Scale(matrix: matrix, view: view)
        let n = matrix.count
        let title = view.averageHeads
            ? " layer \(state.layer) (0–\(state.layerCount - 1)) · mean of \(data.heads.count) heads"
            : " layer \(state.layer) (0–\(state.layerCount - 1)) · head \(state.head) (0–\(state.headCount - 1))"
        canvas.fill(x: body.x, y: body.y, width: body.width, height: 1, style: theme.header)
        canvas.text(title + " · rows: each token · columns: the tokens it reads", x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        guard n > 0 else { return }
        // Which queries fit: a window of rows that keeps the selected token on screen.
        let gridRows = max(1, body.height - 3)
        let shown = min(n, gridRows)
        let firstRow = max(0, min(state.selected - shown + 1, n - shown))
        let lastRow = firstRow + shown - 1
        let rowHeight = max(1, min(3, gridRows / shown))
        let labels = (0...lastRow).map { TokenSpelling.visible(state.tokens[$0].text) }
        let labelWidth = min(14, max(4, labels[firstRow...].map { Canvas.columns(of: $0) }.max() ?? 4) + 2)
        let gridWidth = max(1, body.width - labelWidth)
        let columnCount = min(lastRow + 1, gridWidth)
        let firstColumn = lastRow + 1 - columnCount
        let cellWidth = max(1, min(12, gridWidth / columnCount))
        let top = body.y + 1
        // Column headings: the key tokens.
        for column in firstColumn...lastRow {
            let x = body.x + labelWidth + (column - firstColumn) * cellWidth
            if cellWidth >= 3 {
                canvas.text(labels[column], x: x, y: top, style: column == state.selected ? theme.selection : theme.muted, maxWidth: cellWidth - 1)
                canvas.markToken(column, x: x, y: top, width: cellWidth - 1)
            }
        }
        for q in firstRow...lastRow {
            let y = top + 1 + (q - firstRow) * rowHeight
            let labelStyle = q == state.selected ? theme.selection : Style.plain
            canvas.fill(x: body.x, y: y, width: labelWidth - 1, height: rowHeight, style: labelStyle)
            canvas.text(" " + labels[q], x: body.x, y: y + rowHeight / 2, style: labelStyle, maxWidth: labelWidth - 1)
            for row in y..<(y + rowHeight) { canvas.markToken(q, x: body.x, y: row, width: labelWidth - 1) }
            for k in firstColumn...lastRow {
                let x = body.x + labelWidth + (k - firstColumn) * cellWidth
                guard k <= q else {
                    if !theme.hasColor { canvas.fill(x: x, y: y, width: cellWidth, height: rowHeight, "·", style: theme.muted) }
                    continue
                }
                let hidden = view.hideFirst && k == 0
                let weight = Double(matrix.value(query: q, key: k))
                let intensity = hidden ? 0 : scale.intensity(weight)
                let cell = theme.rampCell(intensity)
                canvas.fill(x: x, y: y, width: cellWidth, height: rowHeight, cell.character, style: cell.style)
                if cellWidth >= 5 && !hidden {
                    let label = matrix.isScores ? String(format: "%.1f", weight) : String(format: "%.2f", weight).replacingOccurrences(of: "0.", with: ".")
                    canvas.text(label, x: x + (cellWidth - Canvas.columns(of: label)) / 2, y: y + rowHeight / 2, style: theme.rampLabel(intensity), maxWidth: cellWidth)
                }
            }
        }
        let legendY = min(body.y + body.height - 1, top + 1 + shown * rowHeight)
        let (low, high, caption) = scale.legend
        Heatmap.legend(low: low, high: high, caption: caption + (shown < n ? " · rows \(firstRow + 1)–\(lastRow + 1) of \(n)" : ""),
                       x: body.x + 1, y: legendY, theme: theme, on: &canvas)
    }

    // MARK: Forward pass

    static func forward(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        guard state.selected < state.tokens.count else { return }
        let token = TokenSpelling.visible(state.tokens[state.selected].text)
        canvas.fill(x: body.x, y: body.y, width: body.width, height: 1, style: theme.header)
        canvas.text(" logit lens at token \(state.selected) \"\(token)\": what the model would say after each block",
                    x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        let view = state.forwardView
        guard let details = view.details, details.tokenIDs == state.tokens.map(\.id), details.request == .forward(position: state.selected, layer: state.layer)
        else {
            canvas.text(view.message ?? " computing the forward pass…", x: body.x, y: body.y + 2, style: view.message == nil ? theme.muted : theme.warning, maxWidth: body.width)
            return
        }
        let lens = details.lens
        guard !lens.isEmpty else { return }
        let rows = max(1, body.height - 1)
        let columns = (lens.count + rows - 1) / rows
        let perColumn = (lens.count + columns - 1) / columns
        let columnWidth = body.width / columns
        let last = lens.count - 1
        for (index, row) in lens.enumerated() {
            let x = body.x + (index / perColumn) * columnWidth, y = body.y + 1 + index % perColumn
            let name = row.blocks == 0 ? "embed" : "block \(row.blocks - 1)"
            let style = index == last ? theme.selection : Style.plain
            if index == last { canvas.fill(x: x, y: y, width: columnWidth - 1, height: 1, style: style) }
            var cursor = canvas.text(" " + name.padding(toLength: 9, withPad: " ", startingAt: 0), x: x, y: y, style: index == last ? style : theme.muted)
            guard let best = row.top.first else { continue }
            let answer = TokenSpelling.visible(TokenText.text(best.id, state))
            let answerWidth = min(14, max(6, columnWidth - 26))
            var answerStyle = style
            answerStyle.bold = true
            cursor = canvas.text(answer.padding(toLength: answerWidth, withPad: " ", startingAt: 0), x: cursor, y: y, style: answerStyle, maxWidth: answerWidth) + 1
            let barWidth = max(2, columnWidth - (cursor - x) - 6)
            let barStyle = index == last ? style : (theme.hasColor ? Style(foreground: theme.rampColor(Double(best.probability))) : Style.plain)
            canvas.text(BarChart.bar(Double(best.probability), width: barWidth), x: cursor, y: y, style: barStyle, maxWidth: barWidth)
            canvas.text(String(format: "%3.0f%%", Double(best.probability) * 100), x: cursor + barWidth, y: y, style: style)
        }
    }
}
