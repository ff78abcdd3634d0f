import Foundation
import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Tokens view

/// The text as token chips, counts, the selected token's details, the BPE replay of the word under
/// the selection, and the same text through other tokenizers.
enum TokensView {
    /// Rows below the chips: counts, details, replay, comparison.
    static func rowsBelowChips(_ state: AppState) -> Int {
        let comparisons = state.analysis?.comparisons.count ?? 0
        let compareRows = state.tokensView.showComparison ? 3 + comparisons : 0
        return 1 + 1 + 2 + 1 + 3 + compareRows
    }

    /// Rows the chips get inside `body`.
    static func chipRows(_ state: AppState, _ body: Rect) -> Int { max(2, body.height - rowsBelowChips(state)) }

    /// The area the chips are drawn in.
    static func stripArea(_ state: AppState, _ body: Rect) -> Rect {
        Rect(x: body.x + 1, y: body.y, width: max(1, body.width - 2), height: chipRows(state, body))
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
        let area = stripArea(state, body)
        strip(state, theme).render(in: area, on: &canvas)
        var y = body.y + area.height
        y = counts(state, theme, x: body.x, y: y, &canvas) + 1
        guard state.selected < state.tokens.count else { return }
        y = details(state, theme, x: body.x, y: y, width: body.width, &canvas) + 1
        y = replay(state, theme, Rect(x: body.x, y: y, width: body.width, height: 3), &canvas) + 1
        if state.tokensView.showComparison {
            comparison(state, theme, Rect(x: body.x, y: y, width: body.width, height: body.y + body.height - y), &canvas)
        }
    }

    // MARK: Counts and details

    /// Characters, bytes, words, tokens and characters per token of the whole text.
    static func counts(_ state: AppState, _ theme: Theme, x: Int, y: Int, _ canvas: inout Canvas) -> Int {
        let c = Counts(state.tokens)
        let tokenizer = state.tokenizerSummary.isEmpty ? "" : " · tokenizer: " + state.tokenizerSummary
        canvas.text(String(format: " %d characters · %d bytes · %d words · %d tokens · %.2f characters per token",
                           c.characters, c.bytes, c.words, c.tokens, c.charactersPerToken) + tokenizer, x: x, y: y, style: theme.muted)
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
        } else {
            detail += " · first token: nothing predicted it"
        }
        canvas.text(detail, x: x, y: y + 1, style: theme.muted, maxWidth: width)
        return y + 2
    }

    // MARK: BPE replay

    /// Three rows: which word and step, the merge applied at this step, the parts after it.
    static func replay(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) -> Int {
        let y = area.y
        guard let analysis = state.analysis, analysis.position == state.selected else {
            canvas.text(" BPE replay: analysing…", x: area.x, y: y, style: theme.muted)
            return y + 3
        }
        guard let replay = analysis.replay else {
            canvas.text(" BPE replay: special tokens are matched whole, never merged", x: area.x, y: y, style: theme.muted)
            return y + 3
        }
        let count = replay.stepCount
        let step = state.tokensView.step(at: state.selected, of: count)
        let span = replay.positions.count > 1 ? "tokens \(replay.positions.lowerBound)–\(replay.positions.upperBound - 1)" : "token \(replay.positions.lowerBound)"
        let title = " BPE replay of \"\(replay.word)\" (\(span)): merge \(step) of \(count) · [ ] step"
        canvas.text(title, x: area.x, y: y, style: theme.header, maxWidth: area.width)
        let what: String
        if step == 0 {
            what = "   \(replay.initial.count) single bytes, before any merge"
        } else {
            let row = replay.merge(step) ?? MergeRow(rank: 0, left: "?", right: "?", parts: [])
            what = "   merge rank \(row.rank): \"\(row.left)\" + \"\(row.right)\" → \"\(row.left)\(row.right)\""
                + (step == count ? " · final tokens" : "")
        }
        canvas.text(what, x: area.x, y: y + 1, style: .plain, maxWidth: area.width)
        let chips = replay.parts(after: step).enumerated().map { TokenChip(label: $0.element, id: $0.offset, kind: .normal) }
        TokenStrip(chips: chips, theme: theme, gap: 1, singleLine: true).render(in: Rect(x: area.x + 3, y: y + 2, width: max(1, area.width - 4), height: 1), on: &canvas)
        return y + 3
    }

    // MARK: Comparison

    /// The text through the model's tokenizer and each comparison tokenizer, one row each, with counts.
    static func comparison(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height > 0 else { return }
        let comparisons = state.analysis?.comparisons ?? []
        if comparisons.isEmpty {
            canvas.text(" Compare tokenizers: none loaded (MiniLM is not in the model cache; add one with --compare PATH)", x: area.x, y: area.y, style: theme.muted, maxWidth: area.width)
            return
        }
        canvas.text(" Compare tokenizers (x hides)", x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
        var rows: [(name: String, pieces: [String])] = [("this model", state.tokens.map { TokenChip(token: $0).label })]
        rows += comparisons.map { ($0.name, $0.pieces) }
        let nameWidth = min(24, rows.map { Canvas.columns(of: $0.name) }.max() ?? 8)
        for (offset, row) in rows.enumerated() where offset + 1 < area.height {
            let y = area.y + 1 + offset
            let label = " " + row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + String(format: " %4d tokens ", row.pieces.count)
            let x = canvas.text(label, x: area.x, y: y, style: .plain, maxWidth: area.width)
            let chips = row.pieces.enumerated().map { TokenChip(label: $0.element, id: $0.offset, kind: .normal) }
            TokenStrip(chips: chips, theme: theme, gap: 1, singleLine: true).render(in: Rect(x: x, y: y, width: max(1, area.x + area.width - x - 1), height: 1), on: &canvas)
        }
    }
}

// MARK: - Counts

/// Characters, bytes, words and tokens of a token sequence's text.
struct Counts: Equatable {
    let characters: Int, bytes: Int, words: Int, tokens: Int

    init(_ tokens: [TokenInfo]) {
        let bytes = tokens.flatMap { $0.bytes.isEmpty ? Array($0.text.utf8) : $0.bytes }
        let text = String(decoding: bytes, as: UTF8.self)
        characters = text.count
        self.bytes = bytes.count
        words = text.split(whereSeparator: { $0.isWhitespace }).count
        self.tokens = tokens.count
    }

    /// Characters per token (0 for no tokens).
    var charactersPerToken: Double { tokens == 0 ? 0 : Double(characters) / Double(tokens) }
}
