import Foundation
import TokenscopeTransformer

// MARK: - Sampling view

/// The next-token distribution at the selected position, the filters, the dice roll and the text so far.
enum SamplingView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        var y = body.y
        let s = state.settings
        let settings = String(format: " temperature %.1f%@ · top-k %@ · top-p %@ · min-p %@ · seed %llu",
                              s.temperature, s.isGreedy ? " (greedy)" : "", s.topK == 0 ? "off" : String(s.topK),
                              s.topP >= 1 ? "off" : String(format: "%.2f", s.topP), s.minP <= 0 ? "off" : String(format: "%.2f", s.minP), s.seed % 100_000)
        canvas.text(settings, x: body.x, y: y, style: theme.header)
        y += 1
        guard let result = state.sampling else {
            canvas.text(" computing the distribution…", x: body.x, y: y + 1, style: theme.muted)
            return
        }
        let position = state.selected
        let next = position + 1 < state.tokens.count ? state.tokens[position + 1] : nil
        var context = " after token \(position + 1) \"\(visibleText(state.tokens[position].text))\""
        if let next { context += " — actually followed by \"\(visibleText(next.text))\" (a position in the past)" }
        canvas.text(context, x: body.x, y: y, style: theme.muted)
        y += 1
        canvas.text(String(format: " entropy %.2f bits · perplexity %.1f · %d of %d tokens survive the filters",
                           result.entropyBits, result.perplexity, result.survivorCount, result.vocabularySize), x: body.x, y: y, style: .plain)
        y += 2
        // Table of candidates.
        let tableRows = max(3, body.height - 9)
        let columns = "  rank  token             probability              p      kept     logit    cumul."
        canvas.text(columns, x: body.x, y: y, style: theme.muted)
        y += 1
        let barWidth = 20
        let maxProbability = result.candidates.first?.probability ?? 1
        let first = max(0, min(state.candidate - tableRows + 1, result.candidates.count - tableRows))
        for (offset, candidate) in result.candidates.dropFirst(first).prefix(tableRows).enumerated() {
            let row = y + offset
            let removed = candidate.removedBy != nil
            var style = removed ? theme.muted : Style.plain
            if first + offset == state.candidate { style = theme.selection }
            let chosen = candidate.id == result.chosenID ? "▶" : " "
            let text = visibleText(TokenText.text(candidate.id, state))
            var x = canvas.text(String(format: "%@%4d  ", chosen, candidate.rank + 1), x: body.x, y: row, style: style)
            x = canvas.text(text.padding(toLength: 16, withPad: " ", startingAt: 0), x: x, y: row, style: style, maxWidth: 16) + 2
            bar(candidate.probability / maxProbability, width: barWidth, x: x, y: row, style: removed ? theme.muted : Style(foreground: theme.rampColor(candidate.probability / maxProbability)), &canvas)
            x += barWidth + 1
            let figures = String(format: "%6.2f%%  %6.2f%%  %8.3f  %6.3f", candidate.probability * 100, candidate.keptProbability * 100,
                                 candidate.logit, candidate.cumulative)
            x = canvas.text(figures, x: x, y: row, style: style)
            if let filter = candidate.removedBy { canvas.text("  ✗ \(filter.rawValue)", x: x, y: row, style: theme.warning) }
        }
        y += tableRows
        let rest = max(0, result.vocabularySize - result.candidates.count)
        canvas.text(String(format: " … %d more tokens hold %.3f%% of the probability", rest, result.unlistedMass * 100), x: body.x, y: y, style: theme.muted)
        y += 1
        diceStrip(result, state, theme, Rect(x: body.x, y: y, width: body.width, height: 2), &canvas)
    }

    /// Horizontal bar with eighth-block precision.
    static func bar(_ fraction: Double, width: Int, x: Int, y: Int, style: Style, _ canvas: inout Canvas) {
        let eighths = Int((min(1, max(0, fraction)) * Double(width * 8)).rounded())
        let blocks: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        for column in 0..<width {
            let filled = eighths - column * 8
            let character: Character = filled >= 8 ? "█" : (filled > 0 ? blocks[filled] : " ")
            canvas.set(x + column, y, character, style)
        }
    }

    /// The cumulative distribution over the survivors with a marker at the uniform draw u.
    static func diceStrip(_ result: SamplingResult, _ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height >= 2 else { return }
        let width = max(10, area.width - 24)
        let survivors = result.candidates.filter { $0.removedBy == nil }
        var start = 0.0
        for (index, candidate) in survivors.enumerated() {
            let from = Int(start * Double(width)), to = max(from + 1, Int(candidate.cumulative * Double(width)))
            let style = index % 2 == 0 ? theme.chips[0] : theme.chips[1]
            for column in from..<min(width, to) { canvas.set(area.x + 1 + column, area.y, "▆", style) }
            start = candidate.cumulative
        }
        if result.settings.isGreedy {
            canvas.text(" greedy: always the top candidate", x: area.x + width + 2, y: area.y, style: theme.muted)
        } else {
            let marker = min(width - 1, Int(result.draw * Double(width)))
            canvas.set(area.x + 1 + marker, area.y + 1, "▲", theme.selection)
            let chosen = visibleText(TokenText.text(result.chosenID, state))
            canvas.text(String(format: " u = %.3f → \"%@\"", result.draw, chosen), x: area.x + width + 2, y: area.y, style: .plain)
        }
    }
}

/// Token text for a vocabulary id: from the sequence when it is there, else from the candidates' cache.
enum TokenText {
    static func text(_ id: Int, _ state: AppState) -> String {
        state.vocabularyText[id] ?? state.tokens.first { $0.id == id }?.text ?? "#\(id)"
    }
}
