import Foundation
import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Tokens view

/// The text as token chips, counts, the selected token's details, the BPE replay (or, for WordPiece,
/// the cuts) of the word under the selection, and the same text through other tokenizers.
enum TokensView {
    /// How the body's rows are shared: the chips take the lines they need, then the replay lists
    /// its merges and each comparison row wraps to show its whole text, as far as rows allow.
    struct Layout: Equatable {
        /// Rows of chips.
        var chipRows: Int
        /// Rows of the BPE replay (its title included; 3 at least).
        var replayRows: Int
        /// Lines of chips for each comparison row (the model's tokenizer first); empty when hidden.
        var comparisonLines: [Int]
        /// Rows left for the table of tokens around the selection (0: no table).
        var tableRows = 0
    }

    /// Rows below the chips at their smallest: counts, details, a three-row replay, one line per
    /// comparison row, and the blank rows between them.
    static func minimumRowsBelowChips(_ state: AppState) -> Int {
        // A blank row, the title and a row per tokenizer (the model's first), or the one line
        // saying none is loaded.
        let comparisons = state.analysis?.comparisons.count ?? 0
        let compareRows = state.tokensView.showComparison ? (comparisons > 0 ? 3 + comparisons : 2) : 0
        return 1 + 1 + 2 + 1 + 3 + compareRows
    }

    /// The layout of `body` for `state`: the chips first (all their lines when they fit), then the
    /// replay's merge list, then the comparison rows' further lines.
    static func layout(_ state: AppState, _ body: Rect, theme: Theme) -> Layout {
        let width = max(1, body.width - 2)
        let strip = strip(state, theme)
        let chipLines = (strip.layout(width: width).last?.line ?? 0) + 1
        let below = minimumRowsBelowChips(state)
        let chipRows = max(2, min(chipLines * strip.lineHeight, body.height - below))
        var spare = max(0, body.height - chipRows - below)
        var layout = Layout(chipRows: chipRows, replayRows: 3, comparisonLines: [])
        // The replay: its title, the bytes, and one row per merge.
        if let analysis = state.analysis, analysis.position == state.selected, let replay = analysis.replay {
            let extra = min(spare, max(0, replay.stepCount + 2 - 3))
            layout.replayRows += extra
            spare -= extra
        }
        // WordPiece: its title and one row per cut.
        if let analysis = state.analysis, analysis.position == state.selected, let pieces = analysis.wordPieces {
            let extra = min(spare, max(0, pieces.steps.count + 1 - 3))
            layout.replayRows += extra
            spare -= extra
        }
        if state.tokensView.showComparison, let rows = comparisonRows(state) {
            let widths = comparisonChipWidth(rows, width: body.width)
            layout.comparisonLines = rows.map { row in
                let needed = (chipStrip(row.pieces, theme).layout(width: widths).last?.line ?? 0) + 1
                let extra = min(spare, needed - 1)
                spare -= extra
                return 1 + extra
            }
        }
        // What is left: a table of the tokens around the selection (a title, a header and rows).
        layout.tableRows = spare >= 4 ? spare : 0
        return layout
    }

    /// The area the chips are drawn in.
    static func stripArea(_ state: AppState, _ body: Rect, theme: Theme = .dark) -> Rect {
        Rect(x: body.x + 1, y: body.y, width: max(1, body.width - 2), height: layout(state, body, theme: theme).chipRows)
    }

    /// The body rectangle of the screen (below the tabs, above the footer).
    static func body(_ state: AppState) -> Rect { Rect(x: 0, y: 2, width: state.width, height: state.height - 4) }

    /// The sequence as a token strip, generated tokens coloured by the probability the model gave them.
    static func strip(_ state: AppState, _ theme: Theme) -> TokenStrip {
        let chips = state.tokens.map { token -> TokenChip in
            var style: Style?
            if token.generated, let p = token.probability, theme.hasColor {
                style = theme.rampLabel(Double(p))
            }
            return TokenChip(token: token, style: style)
        }
        return TokenStrip(chips: chips, theme: theme, showIDs: state.showIDs, selected: state.selected, gap: theme.hasColor && !state.showIDs ? 0 : 1, firstIndex: 0)
    }


    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let layout = layout(state, body, theme: theme)
        let area = Rect(x: body.x + 1, y: body.y, width: max(1, body.width - 2), height: layout.chipRows)
        strip(state, theme).render(in: area, on: &canvas)
        var y = body.y + area.height
        y = counts(state, theme, x: body.x, y: y, &canvas) + 1
        guard state.selected < state.tokens.count else { return }
        y = details(state, theme, x: body.x, y: y, width: body.width, &canvas) + 1
        y = replay(state, theme, Rect(x: body.x, y: y, width: body.width, height: layout.replayRows), &canvas) + 1
        if state.tokensView.showComparison {
            let rows = comparisonRows(state).map { 1 + max($0.count, layout.comparisonLines.reduce(0, +)) } ?? 1
            comparison(state, theme, layout.comparisonLines, Rect(x: body.x, y: y, width: body.width, height: min(rows, body.y + body.height - y)), &canvas)
        }
        if layout.tableRows > 0 {
            tokenTable(state, theme, Rect(x: body.x, y: body.y + body.height - layout.tableRows + 1, width: body.width, height: layout.tableRows - 1), &canvas)
        }
    }

    // MARK: Tokens around the selection

    /// The tokens around the selection, one row each: position, id, kind, text, vocabulary
    /// string, bytes and the probability the model gave it; the selected row highlighted, each row
    /// marked so a click selects its token.
    static func tokenTable(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height >= 3, !state.tokens.isEmpty else { return }
        canvas.text(" Tokens around the selection (a click selects one)", x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
        let rows = area.height - 2
        let count = state.tokens.count
        let first = max(0, min(count - rows, state.selected - rows / 2))
        let shown = first..<min(count, first + rows)
        let cells: [[Span]] = shown.map { position in
            let token = state.tokens[position]
            let chip = TokenChip(token: token)
            let bytes = (token.bytes.isEmpty ? Array(token.text.utf8) : token.bytes).prefix(8).map { String(format: "%02X", $0) }.joined(separator: " ")
            let probability = token.probability.map { String(format: "%.2f%%", $0 * 100) } ?? "–"
            return [Span(String(position)), Span(String(token.id)), Span(chip.label), Span(token.piece), Span(bytes), Span(probability)]
        }
        let table = Table(
            columns: [.init("#", alignment: .right), .init("id", alignment: .right), .init("text"), .init("vocabulary"), .init("bytes", width: 23),
                      .init("p (model)", width: 9, alignment: .right)],
            rows: cells, headerStyle: theme.muted, selected: state.selected - first, selectionStyle: theme.selection)
        let tableArea = Rect(x: area.x + 1, y: area.y + 1, width: min(area.width - 2, 100), height: area.height - 1)
        table.render(in: tableArea, on: &canvas)
        for (row, position) in shown.enumerated() {
            canvas.markToken(position, x: tableArea.x, y: tableArea.y + 1 + row, width: tableArea.width)
        }
    }

    // MARK: Counts and details

    /// Characters, bytes, words, tokens and characters per token of the whole text.
    static func counts(_ state: AppState, _ theme: Theme, x: Int, y: Int, _ canvas: inout Canvas) -> Int {
        let c = Counts(state)
        let tokenizer = state.tokenizerSummary.isEmpty ? "" : " · tokenizer: " + state.tokenizerSummary
        let parts = [Plural.count(c.characters, "character"), Plural.count(c.bytes, "byte"), Plural.count(c.words, "word"),
                     Plural.count(c.tokens, "token"), String(format: "%.2f characters per token", c.charactersPerToken)]
        canvas.text(" " + parts.joined(separator: " · ") + tokenizer, x: x, y: y, style: theme.muted)
        return y + 1
    }

    /// The selected token: id, kind, vocabulary string, bytes, text, merge rank, and what the model expected.
    static func details(_ state: AppState, _ theme: Theme, x: Int, y: Int, width: Int, _ canvas: inout Canvas) -> Int {
        let token = state.tokens[state.selected]
        let bytes = token.bytes.isEmpty ? Array(token.text.utf8) : token.bytes
        let hex = bytes.map { String(format: "%02X", $0) }.joined(separator: " ")
        let kind: String
        switch TokenChip(token: token).kind {
        case .special: kind = token.kind == .control ? "control" : "\(token.kind)"
        case .byte: kind = "byte"
        case .normal: kind = "normal"
        }
        var line = " token \(state.selected): id \(token.id) · \(kind) · vocabulary \"\(token.piece)\" · bytes \(hex)"
        if let rank = token.mergeRank { line += " · merge rank \(rank)" }
        canvas.text(line, x: x, y: y, style: .plain, maxWidth: width)
        var detail = " text \"\(TokenSpelling.visible(token.text))\""
        if let p = token.probability {
            detail += String(format: " · the model gave it %.2f%%", p * 100)
            if let rank = token.rank { detail += " (rank \(rank + 1))" }
            detail += token.generated ? " when it was generated" : " here"
        } else if state.isEncoder {
            detail += " · an encoder predicts no tokens: it reads the whole text at once"
        } else {
            detail += " · first token: nothing predicted it"
        }
        canvas.text(detail, x: x, y: y + 1, style: theme.muted, maxWidth: width)
        return y + 2
    }

    // MARK: BPE replay

    /// Which word and step, then the merges: in three rows the merge applied at this step and the
    /// parts after it; with more rows, the bytes and every merge with the parts after it, the
    /// current step highlighted and later ones dimmed (a window around the step when they do not
    /// all fit).
    static func replay(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) -> Int {
        let y = area.y
        let end = area.y + max(3, area.height)
        guard let analysis = state.analysis, analysis.position == state.selected else {
            canvas.text(state.isEncoder ? " WordPiece cuts: analysing…" : " BPE replay: analysing…", x: area.x, y: y, style: theme.muted)
            return end
        }
        if analysis.isWordPiece {
            wordPieceCuts(state, analysis, theme, Rect(x: area.x, y: y, width: area.width, height: max(3, area.height)), &canvas)
            return end
        }
        guard let replay = analysis.replay else {
            canvas.text(" BPE replay: special tokens are matched whole, never merged", x: area.x, y: y, style: theme.muted)
            return end
        }
        let count = replay.stepCount
        let step = state.tokensView.step(at: state.selected, of: count)
        let span = replay.positions.count > 1 ? "tokens \(replay.positions.lowerBound)–\(replay.positions.upperBound - 1)" : "token \(replay.positions.lowerBound)"
        let title = " BPE replay of \"\(replay.word)\" (\(span)): merge \(step) of \(count) · [ ] step"
        canvas.text(title, x: area.x, y: y, style: theme.header, maxWidth: area.width)
        if area.height > 3 {
            let rows = min(count + 1, area.height - 1)
            let first = max(0, min(count + 1 - rows, step - rows / 2))
            let hidden = [first > 0 ? "↑ \(first) more" : nil, first + rows < count + 1 ? "↓ \(count + 1 - first - rows) more" : nil].compactMap { $0 }
            if !hidden.isEmpty {
                canvas.text(title + " · " + hidden.joined(separator: " · "), x: area.x, y: y, style: theme.header, maxWidth: area.width)
            }
            mergeList(replay, step: step, rows: first..<(first + rows), theme, Rect(x: area.x, y: y + 1, width: area.width, height: rows), &canvas)
            return end
        }
        let what: String
        if step == 0 {
            what = "   \(Plural.count(replay.initial.count, "single byte")), before any merge"
        } else {
            let row = replay.merge(step) ?? MergeRow(rank: 0, left: "?", right: "?", parts: [])
            what = "   merge rank \(row.rank): \"\(row.left)\" + \"\(row.right)\" → \"\(row.left)\(row.right)\""
                + (step == count ? " · final tokens" : "")
        }
        canvas.text(what, x: area.x, y: y + 1, style: .plain, maxWidth: area.width)
        chipStrip(replay.parts(after: step), theme).render(in: Rect(x: area.x + 3, y: y + 2, width: max(1, area.width - 4), height: 1), on: &canvas)
        return end
    }

    // MARK: WordPiece cuts

    /// The word under the selection as WordPiece cut it: a title, then one row per cut — what was
    /// left of the word, the vocabulary entry taken from its start, and how many longer prefixes
    /// are not entries — the selected token's cut highlighted. Special and unknown tokens say why
    /// nothing was cut.
    static func wordPieceCuts(_ state: AppState, _ analysis: PositionAnalysis, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let token = state.tokens[state.selected]
        guard let pieces = analysis.wordPieces else {
            let why = switch token.kind {
            case .normal: " WordPiece cuts: the vocabulary does not give this word's tokens again"
            case .unknown: " WordPiece: \(token.piece) stands for a whole word that no run of vocabulary entries spells"
            default: " WordPiece: \(token.piece) is a special token, put around the text or matched whole, never cut from a word"
            }
            canvas.text(why, x: area.x, y: area.y, style: theme.muted, maxWidth: area.width)
            return
        }
        let positions = pieces.positions
        let span = positions.count > 1 ? "tokens \(positions.lowerBound)–\(positions.upperBound - 1)" : "token \(positions.lowerBound)"
        let count = pieces.steps.count
        let rows = min(count, area.height - 1)
        let selected = state.selected - positions.lowerBound
        let first = max(0, min(count - rows, selected - rows / 2))
        let hidden = count > rows ? " · " + Plural.count(count - rows, "more cut") + " not shown" : ""
        canvas.text(" WordPiece cuts of \"\(pieces.word)\" (\(span)): longest vocabulary entry first, ## inside a word"
                    + hidden, x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
        let texts = pieces.steps.enumerated().map { String(format: "%3d  ", $0.offset + 1) + "\($0.element.rest) → \($0.element.piece)" }
        let textWidth = min(texts[first..<(first + rows)].map { Canvas.columns(of: $0) }.max() ?? 0, area.width * 3 / 5)
        for row in 0..<rows {
            let step = pieces.steps[first + row]
            let y = area.y + 1 + row
            canvas.text(texts[first + row], x: area.x + 2, y: y, style: first + row == selected ? theme.selection : .plain, maxWidth: textWidth)
            let misses = step.longerMisses == 0
                ? (first + row == 0 ? "the whole word is an entry" : "all that is left is an entry")
                : Plural.count(step.longerMisses, "longer prefix", "longer prefixes") + " not in the vocabulary"
            canvas.text(misses, x: area.x + 4 + textWidth, y: y, style: theme.muted, maxWidth: max(0, area.width - 5 - textWidth))
        }
    }

    /// One row per step in `steps` (0 = the bytes): the merge, then the parts after it.
    static func mergeList(_ replay: BPEReplay, step: Int, rows steps: Range<Int>, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let texts = steps.map { shown -> String in
            guard shown > 0 else { return String(format: "%3d  ", 0) + Plural.count(replay.initial.count, "single byte") }
            let merge = replay.merge(shown) ?? MergeRow(rank: 0, left: "?", right: "?", parts: [])
            return String(format: "%3d  rank %-6d ", shown, merge.rank) + "\"\(merge.left)\" + \"\(merge.right)\" → \"\(merge.left)\(merge.right)\""
        }
        let textWidth = min(texts.map { Canvas.columns(of: $0) }.max() ?? 0, area.width * 3 / 5)
        for (row, shown) in steps.enumerated() {
            let y = area.y + row
            let style: Style = shown == step ? theme.selection : shown > step ? theme.muted : .plain
            canvas.text(texts[row], x: area.x + 2, y: y, style: style, maxWidth: textWidth)
            let x = area.x + 4 + textWidth
            guard x < area.x + area.width - 2 else { continue }
            chipStrip(replay.parts(after: shown), theme).render(in: Rect(x: x, y: y, width: area.x + area.width - 1 - x, height: 1), on: &canvas)
        }
    }

    /// Pieces of text as numbered chips on one line (`…` when some do not fit).
    static func chipStrip(_ pieces: [String], _ theme: Theme) -> TokenStrip {
        TokenStrip(chips: pieces.enumerated().map { TokenChip(label: $0.element, id: $0.offset, kind: .normal) }, theme: theme, gap: 1, singleLine: true)
    }

    // MARK: Comparison

    /// The rows of the comparison: the model's tokenizer, then each comparison tokenizer (nil when none is loaded).
    static func comparisonRows(_ state: AppState) -> [(name: String, pieces: [String])]? {
        let comparisons = state.analysis?.comparisons ?? []
        guard !comparisons.isEmpty else { return nil }
        return [("this model", state.tokens.map { TokenChip(token: $0).label })] + comparisons.map { ($0.name, $0.pieces) }
    }

    /// Columns of a comparison row's name and count.
    static func comparisonLabelWidth(_ rows: [(name: String, pieces: [String])]) -> Int {
        min(24, rows.map { Canvas.columns(of: $0.name) }.max() ?? 8) + 14
    }

    /// Columns the chips of a comparison row wrap in.
    static func comparisonChipWidth(_ rows: [(name: String, pieces: [String])], width: Int) -> Int {
        max(1, width - comparisonLabelWidth(rows) - 1)
    }

    /// The text through the model's tokenizer and each comparison tokenizer, with counts; each row
    /// wraps over the lines `lines` gives it, the last one ending in `…` when the text goes on.
    static func comparison(_ state: AppState, _ theme: Theme, _ lines: [Int], _ area: Rect, _ canvas: inout Canvas) {
        guard area.height > 0 else { return }
        guard let rows = comparisonRows(state) else {
            let why = state.isEncoder ? "the default model's tokenizer is not in the model cache" : "MiniLM is not in the model cache"
            canvas.text(" Compare tokenizers: none loaded (\(why); add one with --compare PATH)", x: area.x, y: area.y, style: theme.muted, maxWidth: area.width)
            return
        }
        canvas.text(" Compare tokenizers (x hides)", x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
        let nameWidth = comparisonLabelWidth(rows) - 14
        let chipWidth = comparisonChipWidth(rows, width: area.width)
        var y = area.y + 1
        for (offset, row) in rows.enumerated() where y < area.y + area.height {
            let label = " " + row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + String(format: " %4d ", row.pieces.count) + (row.pieces.count == 1 ? "token  " : "tokens ")
            let x = canvas.text(label, x: area.x, y: y, style: .plain, maxWidth: area.width)
            let height = min(offset < lines.count ? lines[offset] : 1, area.y + area.height - y)
            let strip = chipStrip(row.pieces, theme)
            let placements = strip.layout(width: chipWidth)
            if height <= 1 || (placements.last?.line ?? 0) < 1 {
                strip.render(in: Rect(x: x, y: y, width: max(1, area.x + area.width - x - 1), height: 1), on: &canvas)
            } else {
                // The lines that fit, wrapped; the last one shown as a single line ending in `…`.
                let before = placements.filter { $0.line < height - 1 }.count
                var wrapped = strip
                wrapped.singleLine = false
                wrapped.chips = Array(row.pieces.prefix(before).enumerated().map { TokenChip(label: $0.element, id: $0.offset, kind: .normal) })
                wrapped.render(in: Rect(x: x, y: y, width: chipWidth, height: height - 1), on: &canvas)
                chipStrip(Array(row.pieces.dropFirst(before)), theme).render(in: Rect(x: x, y: y + height - 1, width: max(1, area.x + area.width - x - 1), height: 1), on: &canvas)
            }
            y += height
        }
    }
}

// MARK: - Counts

/// Characters, bytes, words and tokens of a token sequence's text.
struct Counts: Equatable {
    let characters: Int, bytes: Int, words: Int, tokens: Int

    /// The counts of what is on screen: a decoder's tokens spell the text (generated ones too); an
    /// encoder's WordPiece tokens do not (spaces are gone, the text is lower-cased, [CLS] and
    /// [SEP] are added), so its text is the prompt it read.
    init(_ state: AppState) {
        if state.isEncoder {
            self.init(text: Array(state.prompt.utf8), tokens: state.tokens.count)
        } else {
            self.init(state.tokens)
        }
    }

    /// The counts of the text the tokens' bytes spell.
    init(_ tokens: [TokenInfo]) {
        self.init(text: tokens.flatMap { $0.bytes.isEmpty ? Array($0.text.utf8) : $0.bytes }, tokens: tokens.count)
    }

    /// The counts of `bytes` read as `tokens` tokens.
    init(text bytes: [UInt8], tokens: Int) {
        let text = String(decoding: bytes, as: UTF8.self)
        characters = text.count
        self.bytes = bytes.count
        words = text.split(whereSeparator: { $0.isWhitespace }).count
        self.tokens = tokens
    }

    /// Characters per token (0 for no tokens).
    var charactersPerToken: Double { tokens == 0 ? 0 : Double(characters) / Double(tokens) }
}
