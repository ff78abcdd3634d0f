import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Side by side: one distribution under two sampler settings

/// The sampling view split in two: the same logits through the current sampler settings (left) and
/// a second set (right), each with its settings, entropy, what its filters keep, and the candidates
/// with the probability each setting gives them after the filters — so "temperature 0.2 vs 1.5"
/// can be read at a glance. `\` picks the side the setting keys change, `X` swaps the sides.
enum SplitSamplingView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        guard let comparison = state.comparison else { return }
        guard state.selected < state.tokens.count, let analysis = state.analysis, analysis.position == state.selected else {
            canvas.text(" computing the distribution…", x: body.x, y: body.y + 1, style: theme.muted)
            return
        }
        let after = TokenSpelling.visible(state.tokens[state.selected].text)
        canvas.text(" after token \(state.selected) \"\(after)\" · side by side: the same logits, two sampler settings · \\ edits the other side · X swaps · | leaves",
                    x: body.x, y: body.y, style: theme.muted, maxWidth: body.width)
        let half = body.width / 2
        let rows = max(3, body.height - 4)
        for (side, settings) in [(0, state.settings), (1, comparison)] {
            let area = Rect(x: body.x + side * half, y: body.y + 1, width: half - (side == 0 ? 1 : 0), height: body.height - 1)
            let result = Sampler.sample(logits: analysis.logits, settings: settings, position: state.selected + 1, listing: rows)
            let editing = (side == 1) == state.editingComparison
            column(result, state, theme, area, rows: rows, title: side == 0 ? "A" : "B", editing: editing, &canvas)
        }
        for y in (body.y + 1)..<(body.y + body.height) { canvas.set(body.x + half - 1, y, "│", theme.muted) }
    }

    static func column(_ result: SamplingResult, _ state: AppState, _ theme: Theme, _ area: Rect, rows: Int, title: String, editing: Bool,
                       _ canvas: inout Canvas) {
        let s = result.settings
        var heading = " \(title): T \(String(format: "%.1f", s.temperature))" + (s.isGreedy ? " greedy" : "")
        heading += " · k \(s.topK == 0 ? "off" : String(s.topK)) · p \(s.topP >= 1 ? "off" : String(format: "%.2f", s.topP))"
        heading += " · min-p \(s.minP <= 0 ? "off" : String(format: "%.2f", s.minP))" + (editing ? " ◀ keys" : "")
        canvas.fill(x: area.x, y: area.y, width: area.width, height: 1, style: editing ? theme.selection : theme.header)
        canvas.text(heading, x: area.x, y: area.y, style: editing ? theme.selection : theme.header, maxWidth: area.width)
        canvas.text(String(format: " entropy %.2f bits · %@ kept · draws \"%@\"", result.entropyBits, SamplingView.grouped(result.survivorCount),
                           TokenSpelling.visible(TokenText.text(result.chosenID, state))),
                    x: area.x, y: area.y + 1, style: theme.muted, maxWidth: area.width)
        let tokenWidth = 12
        let barWidth = max(3, area.width - tokenWidth - 17)
        for (offset, c) in result.candidates.prefix(rows).enumerated() {
            let y = area.y + 2 + offset
            guard y < area.y + area.height else { break }
            let removed = c.removedBy != nil
            let style = removed ? theme.muted : Style.plain
            let marker = c.id == result.chosenID ? "▶" : " "
            var x = canvas.text(String(format: "%@%3d ", marker, c.rank + 1), x: area.x, y: y, style: c.id == result.chosenID ? theme.selection : style)
            x = canvas.text(TokenSpelling.visible(TokenText.text(c.id, state)).padding(toLength: tokenWidth, withPad: " ", startingAt: 0),
                            x: x, y: y, style: style, maxWidth: tokenWidth) + 1
            let kept = removed ? 0 : c.keptProbability
            let barStyle = removed ? theme.muted : (theme.hasColor ? Style(foreground: theme.rampColor(kept)) : Style.plain)
            canvas.text(BarChart.bar(kept, width: barWidth), x: x, y: y, style: barStyle, maxWidth: barWidth)
            canvas.text(removed ? "   — ✗" : String(format: "%6.2f%%", kept * 100), x: x + barWidth + 1, y: y, style: style)
        }
    }
}
