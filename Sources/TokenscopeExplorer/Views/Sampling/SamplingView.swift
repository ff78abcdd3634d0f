import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Sampling view

/// The next-token distribution at the selected position through the sampler's stages, the dice
/// roll, the text so far coloured by probability and the step history.
enum SamplingView {
    /// Rows that are not candidate rows: settings, context, summary, column titles, the rest, the
    /// dice strip (2), the text and the history.
    static let fixedRows = 9

    /// Candidate rows that fit in `body`.
    static func candidateRows(_ body: Rect) -> Int { max(3, body.height - fixedRows) }

    /// The sampler's result for the view: as many candidates as fit, from the stored logits.
    static func result(_ state: AppState, rows: Int) -> SamplingResult? {
        guard let analysis = state.analysis, analysis.position == state.selected else { return nil }
        return Sampler.sample(logits: analysis.logits, settings: state.settings, position: state.selected + 1,
                              listing: max(rows + state.candidate + 1, max(12, state.height)))
    }

    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        var y = body.y
        canvas.text(settingsLine(state.settings), x: body.x, y: y, style: theme.header, maxWidth: body.width)
        y += 1
        let rows = candidateRows(body)
        guard state.selected < state.tokens.count, let result = result(state, rows: rows) else {
            canvas.text(" computing the distribution…", x: body.x, y: y + 1, style: theme.muted)
            return
        }
        let position = state.selected
        let actual = position + 1 < state.tokens.count ? state.tokens[position + 1] : nil
        var context = " after token \(position) \"\(state.tokens[position].label)\""
        if let actual {
            context += " · actually followed by \"\(actual.label)\""
            if let p = actual.probability {
                // The model's probability is at temperature 1; the table's is the sampler's at the current temperature.
                context += String(format: " (model p %.2f%% at T=1", Double(p) * 100) + (actual.rank.map { ", rank \($0 + 1)" } ?? "")
                if !result.settings.isGreedy, result.settings.temperature != 1, let sampled = result.candidates.first(where: { $0.id == actual.id }) {
                    context += String(format: "; %.2f%% at T=%.1f", sampled.probability * 100, result.settings.temperature)
                }
                context += ")"
            }
            context += " ◆"
        } else {
            context += " · the next token"
        }
        canvas.text(context, x: body.x, y: y, style: theme.muted, maxWidth: body.width)
        y += 1
        canvas.text(summaryLine(result), x: body.x, y: y, style: .plain, maxWidth: body.width)
        y += 1
        y = table(result, state, theme, Rect(x: body.x, y: y, width: body.width, height: rows + 1), actual: actual?.id, &canvas)
        diceStrip(result, state, theme, Rect(x: body.x, y: y, width: body.width, height: 2), &canvas)
        y += 2
        textLine(state, theme, Rect(x: body.x, y: y, width: body.width, height: 1), &canvas)
        y += 1
        historyLine(state, theme, Rect(x: body.x, y: y, width: body.width, height: 1), &canvas)
    }

    // MARK: Header lines

    /// The live controls.
    static func settingsLine(_ s: SamplerSettings) -> String {
        String(format: " temperature %.1f%@ · top-k %@ · top-p %@ · min-p %@ · seed %llu",
               s.temperature, s.isGreedy ? " (greedy)" : "", s.topK == 0 ? "off" : String(s.topK),
               s.topP >= 1 ? "off" : String(format: "%.2f", s.topP), s.minP <= 0 ? "off" : String(format: "%.2f", s.minP), s.seed % 100_000)
    }

    /// Entropy, perplexity and how many tokens each filter leaves.
    static func summaryLine(_ result: SamplingResult) -> String {
        let stages = Stages(result)
        var text = String(format: " entropy %.2f bits · perplexity %.1f · ", result.entropyBits, result.perplexity)
        if result.settings.isGreedy {
            text += "greedy: 1 of \(grouped(result.vocabularySize)) tokens kept"
        } else {
            text += "kept of \(grouped(result.vocabularySize)): "
            var parts: [String] = []
            if result.settings.topK > 0 { parts.append("top-k \(stages.afterTopK.map(grouped) ?? "≥\(result.candidates.count)")") }
            if result.settings.topP < 1 { parts.append("top-p \(stages.afterTopP.map(grouped) ?? "≥\(result.candidates.count)")") }
            if result.settings.minP > 0 { parts.append("min-p \(grouped(result.survivorCount))") }
            text += parts.isEmpty ? "all (no filter)" : parts.joined(separator: " → ")
        }
        return text
    }

    /// How many tokens were left after each stage, as the sampler counted them over the whole
    /// ranking (so the figures do not depend on how many candidates fit on the screen).
    struct Stages {
        let afterTopK: Int?, afterTopP: Int?

        init(_ result: SamplingResult) {
            afterTopK = result.keptAfterTopK
            afterTopP = result.keptAfterTopP
        }
    }

    // MARK: Candidate table

    /// Column widths for a body `width` wide: token text and bar.
    static func columns(_ width: Int) -> (token: Int, bar: Int) {
        // " ▶◆  rank " (10) + token + " " + bar + " " + figures (35) + " ✗ min-p" (8)
        let token = width >= 100 ? 16 : 10
        let bar = max(4, min(30, width - 56 - token))
        return (token, bar)
    }

    /// The candidate rows: rank, token, bar, raw p, renormalised p, logit, cumulative raw p, filter.
    static func table(_ result: SamplingResult, _ state: AppState, _ theme: Theme, _ area: Rect, actual: Int?, _ canvas: inout Canvas) -> Int {
        let rows = area.height - 1
        let (tokenWidth, barWidth) = columns(area.width)
        let title = "     rank " + "token".padding(toLength: tokenWidth + 1, withPad: " ", startingAt: 0)
            + "probability".padding(toLength: barWidth + 1, withPad: " ", startingAt: 0) + pTitle(result.settings) + "   renorm.     logit  "
            + (cutsInTopK(result) ? "cumul. in top-k" : "cumul.")
        canvas.text(title, x: area.x, y: area.y, style: theme.muted, maxWidth: area.width)
        let maxProbability = result.candidates.first?.probability ?? 1
        let first = max(0, min(state.candidate - rows + 1, result.candidates.count - rows))
        // Top-p cuts on the cumulative probability renormalised over the top-k set: when top-k is on,
        // that is the column shown, so the cut can be read off next to it.
        let inTopK = cutsInTopK(result)
        let topKMass = inTopK ? result.massAfterTopK : 1
        var cumulative = 0.0
        for candidate in result.candidates.prefix(first) { cumulative += candidate.probability }
        for (offset, candidate) in result.candidates.dropFirst(first).prefix(rows).enumerated() {
            let y = area.y + 1 + offset
            cumulative += candidate.probability
            let removed = candidate.removedBy != nil
            var style = removed ? theme.muted : Style.plain
            if first + offset == state.candidate { style = theme.selection }
            if first + offset == state.candidate || !theme.hasColor && !removed {
                canvas.fill(x: area.x, y: y, width: area.width, height: 1, style: style)
            }
            let chosen = candidate.id == result.chosenID ? "▶" : " "
            let wasThere = candidate.id == actual ? "◆" : " "
            var x = canvas.text(String(format: "%@%@%6d ", chosen, wasThere, candidate.rank + 1), x: area.x + 1, y: y, style: style)
            let text = TokenText.label(candidate.id, state)
            x = canvas.text(text.padding(toLength: tokenWidth, withPad: " ", startingAt: 0), x: x, y: y, style: style, maxWidth: tokenWidth) + 1
            let fraction = maxProbability > 0 ? candidate.probability / maxProbability : 0
            let barStyle = removed ? theme.muted : (theme.hasColor ? Style(foreground: theme.rampColor(fraction)) : .plain)
            bar(fraction, width: barWidth, x: x, y: y, style: first + offset == state.candidate ? theme.selection : barStyle, &canvas)
            x += barWidth + 1
            let renormalised = removed ? "      —" : String(format: "%6.2f%%", candidate.keptProbability * 100)
            let cumul = inTopK && candidate.rank >= result.keptAfterTopK ? "     —" : String(format: "%6.3f", cumulative / max(topKMass, 1e-300))
            let figures = String(format: "%7.2f%%  %@  %8.3f  %@", candidate.probability * 100, renormalised, candidate.logit, cumul)
            x = canvas.text(figures, x: x, y: y, style: style)
            if let filter = candidate.removedBy { canvas.text(" ✗ \(filter.rawValue)", x: x, y: y, style: first + offset == state.candidate ? style : theme.warning) }
        }
        let listed = result.candidates.count
        let shown = min(listed, first + rows)
        var restMass = result.unlistedMass
        for candidate in result.candidates.dropFirst(shown) { restMass += candidate.probability }
        let rest = result.vocabularySize - shown
        let y = area.y + 1 + min(rows, listed - first)
        canvas.text(String(format: " … %@ more tokens hold %.3f%% of the probability", grouped(rest), restMass * 100), x: area.x, y: y, style: theme.muted, maxWidth: area.width)
        return area.y + area.height + 1
    }

    /// The probability column's title: the sampler's p at the current temperature (`p@T=0.8`), or
    /// the model's own p when the temperature is 1 or the sampler is greedy.
    static func pTitle(_ settings: SamplerSettings) -> String {
        let title = settings.isGreedy || settings.temperature == 1 ? "p (T=1)" : String(format: "p@T=%.1f", settings.temperature)
        return String(repeating: " ", count: max(0, 8 - title.count)) + title
    }

    /// Whether top-p works on a top-k set smaller than the vocabulary (so its cumulative differs).
    static func cutsInTopK(_ result: SamplingResult) -> Bool {
        !result.settings.isGreedy && result.settings.topK > 0 && result.settings.topP < 1 && result.keptAfterTopK < result.vocabularySize
    }

    /// Horizontal bar with eighth-block precision (the shell's `BarChart` bar), padded to `width`.
    static func bar(_ fraction: Double, width: Int, x: Int, y: Int, style: Style, _ canvas: inout Canvas) {
        let text = BarChart.bar(fraction, width: width)
        canvas.fill(x: x, y: y, width: width, height: 1, style: style)
        canvas.text(text, x: x, y: y, style: style, maxWidth: width)
    }

    // MARK: Dice roll

    /// The cumulative distribution over the survivors as coloured segments, with a marker at the
    /// uniform draw u that picked the token.
    static func diceStrip(_ result: SamplingResult, _ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height >= 2 else { return }
        let label = " dice "
        let x0 = area.x + Canvas.columns(of: label)
        canvas.text(label, x: area.x, y: area.y, style: theme.muted)
        let width = max(10, area.width - Canvas.columns(of: label) - 34)
        let survivors = result.candidates.filter { $0.removedBy == nil }
        var start = 0.0
        for (index, candidate) in survivors.enumerated() {
            let from = Int(start * Double(width)), to = max(from + 1, Int((candidate.cumulative * Double(width)).rounded()))
            var style = theme.chips[index % max(1, theme.chips.count)]
            if candidate.id == result.chosenID { style = theme.selection }
            // Past the strip's end nothing more is drawn; a label is spelled only where it can fit
            // (with the filters off there are as many survivors as tokens in the vocabulary).
            if from >= width { break }
            let text = to - from > 1 ? Array(TokenText.label(candidate.id, state)) : []
            for column in from..<min(width, to) {
                let k = column - from
                canvas.set(x0 + column, area.y, k < text.count && to - from > text.count ? text[k] : (theme.hasColor ? " " : "▆"), style)
            }
            start = candidate.cumulative
        }
        let chosen = TokenText.label(result.chosenID, state)
        if result.settings.isGreedy {
            canvas.text(" greedy: always \"\(chosen)\", no draw", x: x0 + width + 1, y: area.y, style: theme.muted, maxWidth: area.x + area.width - x0 - width - 1)
        } else {
            let marker = min(width - 1, Int(result.draw * Double(width)))
            canvas.set(x0 + marker, area.y + 1, "▲", theme.selection)
            canvas.text(String(format: "u = %.3f", result.draw), x: x0 + marker + 2 > x0 + width - 8 ? max(x0, x0 + marker - 10) : x0 + marker + 2, y: area.y + 1, style: theme.muted)
            canvas.text(String(format: " u = %.3f → \"%@\" (rank %d)", result.draw, chosen, result.chosenRank + 1), x: x0 + width + 1, y: area.y,
                        style: .plain, maxWidth: area.x + area.width - x0 - width - 1)
        }
    }

    // MARK: Text and history

    /// The text so far, generated tokens coloured by the probability the model gave them.
    static func textLine(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let x = canvas.text(" text ", x: area.x, y: area.y, style: theme.muted)
        let strip = TokensView.strip(state, theme)
        // Show the end of the text: drop whole chips from the front until the rest fits on the row.
        let room = max(1, area.x + area.width - x - 1)
        // Walk back from the last chip while the row has room (one pass: long texts stay fast).
        var offset = strip.chips.count, used = 0
        while offset > 0 {
            let width = Canvas.columns(of: strip.chips[offset - 1].label) + strip.gap
            if used + width > room && offset < strip.chips.count { break }
            used += width
            offset -= 1
        }
        let chips = strip.chips[offset...].map { chip -> TokenChip in var c = chip; c.breaksLine = false; return c }
        let selected = state.selected - offset
        TokenStrip(chips: chips, theme: theme, selected: selected >= 0 ? selected : nil, gap: strip.gap, firstIndex: offset, singleLine: true).render(in: Rect(x: x, y: area.y, width: room + 1, height: 1), on: &canvas)
    }

    /// Each generated token with the probability and rank it had, most recent last.
    static func historyLine(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let steps = state.tokens.enumerated().filter { $0.element.generated }
        if steps.isEmpty {
            canvas.text(" steps: none yet (space samples one token, Enter forces the highlighted one)", x: area.x, y: area.y, style: theme.muted, maxWidth: area.width)
            return
        }
        let entries = steps.map { index, token in
            "\(index) \"\(token.label)\" " + String(format: "%.0f%%", Double(token.probability ?? 0) * 100) + (token.rank.map { " #\($0 + 1)" } ?? "")
        }
        var line = ""
        for entry in entries.reversed() {
            let candidate = line.isEmpty ? entry : entry + " · " + line
            if Canvas.columns(of: candidate) + 10 > area.width { line = "… " + line; break }
            line = candidate
        }
        canvas.text(" steps (model p at T=1): " + line, x: area.x, y: area.y, style: .plain, maxWidth: area.width)
    }

    /// 49 152 (groups of three digits separated by thin spaces).
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += " " }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

/// Token text for a vocabulary id: from the sequence when it is there, else from the candidates' cache.
enum TokenText {
    static func text(_ id: Int, _ state: AppState) -> String {
        state.vocabularyText[id] ?? state.tokens.first { $0.id == id }?.text ?? "#\(id)"
    }

    /// The id as every view shows a token: visible whitespace, or its bytes in hex (the engine
    /// already spells a candidate that is not whole characters as `‹E4 BD›`).
    static func label(_ id: Int, _ state: AppState) -> String {
        if let token = state.tokens.first(where: { $0.id == id }), !token.bytes.isEmpty { return token.label }
        let text = text(id, state)
        if text.count > 2, text.hasPrefix("‹"), text.hasSuffix("›") { return text }
        return TokenSpelling.visible(text)
    }
}
