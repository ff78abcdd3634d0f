import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - An encoder's head beside a decoder's

/// The attention view with the other kind of model beside it (`d`): the model on screen's head
/// (left, or on top) and the other model's head at the same relative depth (right, or below), on
/// the same text, each cut into its own tokens. Every key column is drawn on both sides, so the
/// decoder's masked upper triangle (`·`) stands next to the encoder's filled one; each side's
/// second line gives the share of attention its rows put on later tokens. ←/→ move the selection
/// on screen and the other side selects the token of the same text; `,`/`.` and ↑/↓ change the
/// head and layer of both.
enum CrossModelView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let cross = state.attentionView.crossModel
        let ids = state.tokens.map(\.id)
        let own = state.attentionView.layerData.flatMap { $0.tokenIDs == ids && $0.layer == state.layer && !$0.heads.isEmpty ? $0 : nil }
        let other = cross.data.flatMap { $0.request == Reducer.wantedCrossModel(state) ? $0 : nil }
        var parts = [state.isEncoder ? "encoder beside decoder" : "decoder beside encoder"]
        if let other {
            parts.append("layer \(state.layer) of \(state.layerCount) ↔ \(other.attention.layer) of \(other.layerCount): same relative depth")
            let head = CrossModelAttention.head(matching: state.head, in: other.headCount)
            parts.append(head == state.head ? "head \(head) on both" : "head \(state.head) ↔ \(head): the nearest, it has \(other.headCount)")
        }
        parts.append("the same text, each model's own tokens")
        parts += ["d leaves", "←/→ token", ",/. head", "↑/↓ layer"]
        canvas.fill(x: body.x, y: body.y, width: body.width, height: 1, style: theme.header)
        canvas.text(SideBySideHeading.fitted(parts, width: body.width), x: body.x, y: body.y, style: theme.header, maxWidth: body.width)

        let area = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        let otherTokens = other?.tokens ?? []
        let labelWidth = AttentionGrid.labelWidth(state.tokens, otherTokens)
        // Five rows of a panel are not grid rows: two title lines, the key labels, the legend, the selected row's split.
        let panels = AttentionGrid.panels(area, count: max(state.tokens.count, otherTokens.count), labelWidth: labelWidth, fixedRows: 5, theme, &canvas)

        // The model on screen.
        let ownHead = own.map { min(state.head, $0.heads.count - 1) } ?? state.head
        let ownMatrix = own.map { $0.heads[ownHead] }
        panel(title: title(state.isEncoder, layer: state.layer, head: ownHead, name: name(state.modelSummary)),
              tokens: state.tokens, matrix: ownMatrix, isEncoder: state.isEncoder, selected: state.selected, labelWidth: labelWidth,
              marksTokens: true, waiting: state.attentionView.message ?? " computing layer \(state.layer)'s attention…",
              isMessage: state.attentionView.message != nil, theme, panels.0, &canvas)

        // The other model.
        guard let other else {
            let waiting = cross.message.map { " " + $0 } ?? " running the \(state.isEncoder ? "decoder" : "encoder") on the same text…"
            canvas.text(waiting, x: panels.1.x, y: panels.1.y + 2, style: cross.message == nil ? theme.muted : theme.warning, maxWidth: panels.1.width)
            return
        }
        let head = CrossModelAttention.head(matching: state.head, in: other.attention.heads.count)
        let selected = CrossModelAttention.position(matching: state.selected, in: state.tokens, other: other.tokens)
        panel(title: title(other.isEncoder, layer: other.attention.layer, head: head, name: other.name),
              tokens: other.tokens, matrix: other.attention.heads[head], isEncoder: other.isEncoder, selected: selected, labelWidth: labelWidth,
              marksTokens: false, waiting: "", isMessage: false, theme, panels.1, &canvas)
    }

    /// The model's name from the header summary (`SmolLM2-135M-Instruct · Q4_1 · 98 MB`).
    static func name(_ summary: String) -> String { summary.components(separatedBy: " · ").first ?? summary }

    /// A side's title, the kind first so a narrow side keeps it (`decoder L17 H2 · SmolLM2-…`).
    static func title(_ isEncoder: Bool, layer: Int, head: Int, name: String) -> String {
        "\(isEncoder ? "encoder" : "decoder") L\(layer) H\(head) · \(name)"
    }

    /// The line under a side's title: how its mask works and the measured share on later tokens
    /// (shortened to fit `width`).
    static func note(_ matrix: AttentionMatrix, isEncoder: Bool, width: Int) -> String {
        let later = Int((CrossModelAttention.laterShare(matrix) * 100).rounded())
        let mask = isEncoder ? "bidirectional" : "causal mask (·)"
        let share = "later tokens: \(later)% of the attention"
        for line in [share + " · " + mask, "later tokens: \(later)% · " + mask, share] where Canvas.columns(of: line) <= width { return line }
        return "later: \(later)%"
    }

    /// One side: title, mask note, the heatmap over every key (masked cells `·`), the legend and the
    /// selected row's weight before, on and after itself.
    static func panel(title: String, tokens: [TokenInfo], matrix: AttentionMatrix?, isEncoder: Bool, selected: Int, labelWidth: Int,
                      marksTokens: Bool, waiting: String, isMessage: Bool, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        var titleStyle = Style.plain
        titleStyle.bold = true
        canvas.text(" " + title, x: area.x, y: area.y, style: titleStyle, maxWidth: area.width)
        guard let matrix, matrix.count == tokens.count, matrix.count > 0 else {
            canvas.text(waiting, x: area.x, y: area.y + 2, style: isMessage ? theme.warning : theme.muted, maxWidth: area.width)
            return
        }
        canvas.text(" " + note(matrix, isEncoder: isEncoder, width: area.width - 1), x: area.x, y: area.y + 1, style: theme.muted, maxWidth: area.width)
        let n = matrix.count
        let labels = tokens.map(\.label)
        let q = min(max(0, selected), n - 1)
        let top = area.y + 2
        let gridRows = max(1, area.y + area.height - top - 3)
        let shown = min(n, gridRows)
        let firstRow = max(0, min(q - shown / 2, n - shown))
        let lastRow = firstRow + shown - 1
        let gridWidth = max(1, area.width - labelWidth)
        let columnCount = min(n, gridWidth)
        let firstColumn = max(0, min(q - columnCount / 2, n - columnCount))
        let lastColumn = firstColumn + columnCount - 1
        let cellWidth = max(1, min(8, gridWidth / columnCount))
        let rowHeight = max(1, min(2, gridRows / shown))
        let scale = AttentionView.Scale(matrix: matrix, view: AttentionViewState())
        let grid = AttentionGrid(labels: labels, rows: firstRow...lastRow, columns: firstColumn...lastColumn, selected: q,
                                 labelWidth: labelWidth, cellWidth: cellWidth, rowHeight: rowHeight, marksTokens: marksTokens)
        grid.draw(x: area.x, top: top, theme, &canvas) { row, key in
            guard matrix.keys(of: row).contains(key) else { return .masked }
            let weight = Double(matrix.value(query: row, key: key))
            return .weight(intensity: scale.intensity(weight), label: AttentionGrid.label(weight))
        }
        let legendY = top + 1 + shown * rowHeight
        let (low, high, caption) = scale.legend
        let window = shown < n || columnCount < n ? " · rows \(firstRow)–\(lastRow), keys \(firstColumn)–\(lastColumn) of \(n)" : ""
        // The caption takes what the ramp leaves of the width: the window note goes first, then letters.
        let room = area.width - Canvas.columns(of: " " + low) - 1 - 8 - 1 - Canvas.columns(of: high) - 2
        let fitted = Canvas.columns(of: caption + window) <= room ? caption + window : (Canvas.columns(of: caption) <= room ? caption : String(caption.prefix(max(0, room))))
        Heatmap.legend(low: " " + low, high: high, caption: fitted, x: area.x, y: legendY, theme: theme, steps: 8, on: &canvas)
        let split = CrossModelAttention.split(matrix, query: q)
        let line = String(format: " %@: %.0f%% after · %.0f%% before · %.0f%% self", labels[q], split.after * 100, split.before * 100, split.own * 100)
        if legendY + 1 < area.y + area.height { canvas.text(line, x: area.x, y: legendY + 1, style: .plain, maxWidth: area.width) }
    }
}
