import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Side by side: the next-token distribution after two prompts

/// The sampling view split between two prompts: A (the sequence on screen) and B (the second
/// prompt), each candidate's probability after each, and the change Δp = p(B) − p(A) as a bar left
/// (less likely after B) or right (more likely). The rows are the union of both sides' top
/// candidates, ordered by |Δp| — what changing the prompt moves most comes first. B's position is
/// lined up with A's selection from the end (the last token of each by default).
enum SplitPromptsView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let second = state.secondPrompt
        canvas.fill(x: body.x, y: body.y, width: body.width, height: 1, style: theme.header)
        canvas.text(SideBySideHeading.fitted([
            "next token after two prompts", "rows by |Δp|", "E edits B", "W swaps", "| leaves", "e edits A", "largest change first",
        ], width: body.width), x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        guard state.selected < state.tokens.count, let analysis = state.analysis, analysis.position == state.selected else {
            canvas.text(" computing A's distribution…", x: body.x, y: body.y + 2, style: theme.muted)
            return
        }
        promptLine("A", state.prompt, tokens: state.tokens, position: state.selected, theme, x: body.x, y: body.y + 1, width: body.width, &canvas)
        if second.prompt.isEmpty {
            canvas.text(" B: no second prompt yet: E types one", x: body.x, y: body.y + 2, style: theme.muted, maxWidth: body.width)
            return
        }
        guard let next = second.next, next.request == Reducer.wantedSecondPrompt(state) else {
            promptLine("B", second.prompt, tokens: [], position: 0, theme, x: body.x, y: body.y + 2, width: body.width, &canvas)
            let text = second.message.map { " B: \($0)" } ?? " computing B's distribution…"
            canvas.text(text, x: body.x, y: body.y + 4, style: second.message == nil ? theme.muted : theme.warning, maxWidth: body.width)
            return
        }
        promptLine("B", second.prompt, tokens: next.tokens, position: next.position, theme, x: body.x, y: body.y + 2, width: body.width, &canvas)
        // Each side's top candidates, as many as the rows hold; their union is listed by |Δp| and cut
        // to the rows, so a token only one side likes still shows when its change is large.
        let shift = ProbabilityShift.between(analysis.logits, next.logits, top: max(5, body.height - 6))
        canvas.text(String(format: " entropy: A %.2f bits · B %.2f bits · probability moved from A to B: %.1f%%", shift.leftEntropy, shift.rightEntropy, shift.moved * 100),
                    x: body.x, y: body.y + 3, style: theme.muted, maxWidth: body.width)
        table(shift, state, theme, Rect(x: body.x, y: body.y + 4, width: body.width, height: body.height - 4), &canvas)
    }

    /// `A  The doctor said that  · after token 3 "␣that"`, the prompt cut at the front when long.
    static func promptLine(_ side: String, _ prompt: String, tokens: [TokenInfo], position: Int, _ theme: Theme, x: Int, y: Int, width: Int,
                           _ canvas: inout Canvas) {
        var style = theme.selection
        style.bold = true
        var cursor = canvas.text(" \(side) ", x: x, y: y, style: style)
        let after = position < tokens.count ? " · after token \(position) \"\(TokenSpelling.visible(tokens[position].text))\"" : ""
        let room = max(4, width - (cursor - x) - Canvas.columns(of: after) - 1)
        var text = " " + prompt.replacingOccurrences(of: "\n", with: "↵").replacingOccurrences(of: "\t", with: "⇥")
        if Canvas.columns(of: text) > room { text = " …" + String(text.suffix(max(1, room - 2))) }
        cursor = canvas.text(text, x: cursor, y: y, style: .plain, maxWidth: room)
        canvas.text(after, x: cursor, y: y, style: theme.muted, maxWidth: max(0, x + width - cursor))
    }

    /// The candidates: token, p after A, p after B, Δp.
    static func table(_ shift: ProbabilityShift, _ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height > 2 else { return }
        let tokenWidth = 12
        let rest = area.width - 1 - tokenWidth - 1
        let deltaWidth = max(14, rest / 4)
        let sideWidth = max(12, (rest - deltaWidth) / 2)
        let showRanks = sideWidth >= 24
        let numberWidth = showRanks ? 14 : 7  // "100.00%", then " #" and a rank of up to 5 digits
        let barWidth = max(2, sideWidth - numberWidth - 2)
        let xA = area.x + 1 + tokenWidth + 1, xB = xA + sideWidth, xD = xB + sideWidth
        canvas.text(" token", x: area.x, y: area.y + 1, style: theme.muted)
        canvas.text("p after A", x: xA, y: area.y + 1, style: theme.muted, maxWidth: sideWidth - 1)
        canvas.text("p after B", x: xB, y: area.y + 1, style: theme.muted, maxWidth: sideWidth - 1)
        let deltaRoom = area.x + area.width - xD
        let deltaTitle = ["Δp = p(B) − p(A), in % points", "Δp = p(B) − p(A)", "Δp"].first { Canvas.columns(of: $0) <= deltaRoom } ?? "Δp"
        canvas.text(deltaTitle, x: xD, y: area.y + 1, style: theme.muted, maxWidth: deltaRoom)
        let rows = shift.rows.prefix(max(0, area.height - 2))
        let largest = max(1e-9, rows.map { abs($0.delta) }.max() ?? 0)
        let valueWidth = 6  // "+25.4" in percentage points
        let half = max(1, (area.x + area.width - xD - valueWidth - 2) / 2)
        for (offset, row) in rows.enumerated() {
            let y = area.y + 2 + offset
            canvas.text(" " + TokenSpelling.visible(TokenText.text(row.id, state)), x: area.x, y: y, style: .plain, maxWidth: tokenWidth + 1)
            probability(row.left, rank: row.leftRank, showRanks: showRanks, theme, x: xA, y: y, barWidth: barWidth, &canvas)
            probability(row.right, rank: row.rightRank, showRanks: showRanks, theme, x: xB, y: y, barWidth: barWidth, &canvas)
            // Δp: a bar left of the axis for less likely after B, right for more likely.
            let axis = xD + half
            canvas.set(axis, y, "│", theme.muted)
            let cells = Double(half) * abs(row.delta) / largest
            let whole = Int(cells), partial = cells - Double(whole) >= 0.5
            let style = row.delta < 0 ? theme.warning : theme.probability
            if row.delta < 0 {
                let bar = (partial ? "▐" : "") + String(repeating: "█", count: whole)
                canvas.text(bar, x: axis - Canvas.columns(of: bar), y: y, style: Style(foreground: style.foreground))
            } else if row.delta > 0 {
                canvas.text(String(repeating: "█", count: whole) + (partial ? "▌" : ""), x: axis + 1, y: y, style: Style(foreground: style.foreground))
            }
            canvas.text(String(format: "%+6.1f", row.delta * 100), x: axis + half + 2, y: y, style: abs(row.delta) >= 0.0005 ? style : theme.muted)
        }
    }

    /// One side's bar, percentage and rank.
    static func probability(_ p: Double, rank: Int, showRanks: Bool, _ theme: Theme, x: Int, y: Int, barWidth: Int, _ canvas: inout Canvas) {
        let barStyle = theme.hasColor ? Style(foreground: theme.rampColor(p)) : Style.plain
        canvas.text(BarChart.bar(p, width: barWidth), x: x, y: y, style: barStyle, maxWidth: barWidth)
        var text = String(format: "%6.2f%%", p * 100)
        if showRanks { text += " #" + String(rank + 1).padding(toLength: 5, withPad: " ", startingAt: 0) }
        canvas.text(text, x: x + barWidth + 1, y: y, style: .plain)
    }
}
