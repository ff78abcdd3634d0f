import Foundation

// MARK: - Tokens view

/// The text as token chips, counts, the selected token's details and how BPE built it.
enum TokensView {
    /// Where each chip goes: (token index, x, y, width) inside `body`.
    static func layout(_ state: AppState, _ body: Rect, rows: Int) -> [(index: Int, x: Int, y: Int, width: Int)] {
        var out: [(index: Int, x: Int, y: Int, width: Int)] = []
        let lineHeight = state.showIDs ? 2 : 1
        var x = body.x + 1, y = body.y
        for (index, token) in state.tokens.enumerated() {
            let label = chipLabel(token)
            let width = max(Canvas.columns(of: label), state.showIDs ? String(token.id).count : 0)
            if x + width > body.x + body.width - 1 && x > body.x + 1 {
                x = body.x + 1
                y += lineHeight
            }
            out.append((index, x, y, min(width, body.width - 2)))
            x += width + 1
        }
        // Scroll so the selected chip is visible within `rows` rows.
        if let selected = out.first(where: { $0.index == state.selected }), selected.y + lineHeight > body.y + rows {
            let shift = selected.y + lineHeight - (body.y + rows)
            out = out.map { ($0.index, $0.x, $0.y - shift, $0.width) }
        }
        return out
    }

    static func chipLabel(_ token: TokenInfo) -> String {
        token.kind == .control || token.kind == .userDefined ? token.piece : visibleText(token.text)
    }

    static func chipRows(_ state: AppState, _ body: Rect) -> Int { max(2, body.height - 9) }

    /// The token under a click, if any.
    static func tokenIndex(at x: Int, y: Int, in state: AppState) -> Int? {
        let body = Rect(x: 0, y: 2, width: state.width, height: state.height - 4)
        return layout(state, body, rows: chipRows(state, body)).first { y == $0.y && x >= $0.x && x < $0.x + $0.width }?.index
    }

    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let rows = chipRows(state, body)
        for chip in layout(state, body, rows: rows) where chip.y >= body.y && chip.y < body.y + rows {
            let token = state.tokens[chip.index]
            var style = token.kind == .normal ? theme.chips[chip.index % theme.chips.count] : theme.special
            if token.generated, let p = token.probability, theme.hasColor {
                style = Style(foreground: .indexed(16), background: theme.rampColor(Double(p)))
            }
            if chip.index == state.selected { style = theme.selection }
            canvas.text(chipLabel(token), x: chip.x, y: chip.y, style: style, maxWidth: chip.width)
            if state.showIDs { canvas.text(String(token.id), x: chip.x, y: chip.y + 1, style: theme.muted, maxWidth: chip.width) }
        }
        var y = body.y + rows + 1
        let text = state.tokens.map(\.text).joined()
        let words = text.split(whereSeparator: { $0.isWhitespace }).count
        let perToken = state.tokens.isEmpty ? 0 : Double(text.count) / Double(state.tokens.count)
        canvas.text(String(format: " %d characters · %d bytes · %d words · %d tokens · %.2f characters per token",
                           text.count, text.utf8.count, words, state.tokens.count, perToken), x: body.x, y: y, style: theme.muted)
        y += 2
        guard state.selected < state.tokens.count else { return }
        let token = state.tokens[state.selected]
        let hex = token.text.utf8.map { String(format: "%02X", $0) }.joined(separator: " ")
        let kind = token.kind == .normal ? "normal" : (token.kind == .control ? "control" : "\(token.kind)")
        canvas.text(" token \(state.selected + 1): id \(token.id) · \(kind) · vocabulary \"\(token.piece)\" · bytes \(hex)", x: body.x, y: y, style: .plain)
        y += 1
        var detail = " text \"\(visibleText(token.text))\""
        if let rank = token.mergeRank { detail += " · made by merge #\(rank)" }
        if let p = token.probability { detail += String(format: " · the model gave it %.2f%% here", p * 100) }
        canvas.text(detail, x: body.x, y: y, style: theme.muted)
        y += 1
        guard let analysis = state.analysis, analysis.position == state.selected, !analysis.merges.isEmpty else { return }
        canvas.text(" BPE, from bytes to this token:", x: body.x, y: y, style: theme.header)
        y += 1
        let room = body.y + body.height - y
        let steps = analysis.merges.suffix(max(0, room))
        for step in steps where y < body.y + body.height {
            let parts = step.parts.map { "[\(visibleText($0))]" }.joined()
            canvas.text(String(format: "  rank %6d  ", step.rank) + "\(step.left) + \(step.right) → \(parts)", x: body.x, y: y, style: .plain)
            y += 1
        }
    }
}

