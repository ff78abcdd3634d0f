import Foundation
import TokenscopeUI

// MARK: - Search view

/// Semantic search beside keyword search over the same chunks: the documents and how they were
/// indexed, the query, then two rankings — by cosine of sentence embeddings and by BM25 — each
/// result with its score bar, its source, its text and which of the query's word pieces it holds.
enum SearchView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let view = state.searchView
        var y = body.y
        canvas.text(" " + headline(view), x: body.x, y: y, style: theme.header, maxWidth: body.width)
        y += 1
        // The query line (or the text box).
        if let input = view.input {
            let label = view.editingPath ? " documents (a file or folder): " : " question: "
            let x = canvas.text(label, x: body.x, y: y, style: theme.selection)
            SearchView.textBox(input, x: x, y: y, width: body.x + body.width - x, theme: theme, &canvas)
        } else if view.query.isEmpty {
            canvas.text(" question: ⏎ type one (e.g. Which bird nests on Pell Rock?)", x: body.x, y: y, style: theme.muted, maxWidth: body.width)
        } else {
            var x = canvas.text(" question: ", x: body.x, y: y, style: theme.muted)
            x = canvas.text(view.query, x: x, y: y, style: .plain, maxWidth: body.x + body.width - x)
            if let report = view.report, report.query == view.query {
                canvas.text(String(format: "  · embedded and ranked in %.1f ms", report.milliseconds), x: x, y: y, style: theme.muted,
                            maxWidth: max(0, body.x + body.width - x))
            }
        }
        y += 1
        if let message = view.message {
            canvas.text(" " + message, x: body.x, y: y, style: theme.warning, maxWidth: body.width)
            y += 1
        } else if let index = view.index, let note = index.notes.first {
            let more = index.notes.count > 1 ? " (+\(index.notes.count - 1) more)" : ""
            canvas.text(" note: " + note + more, x: body.x, y: y, style: theme.warning, maxWidth: body.width)
            y += 1
        }
        guard view.index != nil else {
            let doing = view.progress ?? "opening the documents"
            if view.message == nil { canvas.text(" " + doing + "…", x: body.x, y: y + 1, style: theme.muted, maxWidth: body.width) }
            return
        }
        guard let report = view.report, report.query == view.query else {
            let text = view.query.isEmpty ? " ⏎ types a question; r then sends the best chunks into the decoder's prompt" : " " + (view.progress ?? "searching") + "…"
            canvas.text(text, x: body.x, y: y + 1, style: theme.muted, maxWidth: body.width)
            return
        }
        y += 1
        let half = body.width / 2
        let left = Rect(x: body.x, y: y, width: half - 1, height: body.y + body.height - y)
        let right = Rect(x: body.x + half, y: y, width: body.width - half, height: body.y + body.height - y)
        column("by meaning (cosine of embeddings)", report.semantic, isCosine: true, view.k, theme, left, &canvas)
        column("by keywords (BM25)", report.keyword, isCosine: false, view.k, theme, right, &canvas)
        for row in y..<(body.y + body.height) { canvas.text("│", x: body.x + half - 1, y: row, style: theme.muted) }
    }

    /// `search · velmora · 10 documents · 86 chunks (≤ 128 word pieces, overlap 32) · index cache`.
    static func headline(_ view: SearchViewState) -> String {
        let name = URL(fileURLWithPath: view.documentsPath).lastPathComponent
        guard let index = view.index else { return "search · \(name)" }
        let source = index.fromCache ? String(format: "from the index cache in %.2f s", index.seconds) : String(format: "embedded and cached in %.1f s", index.seconds)
        return "search · \(name) · \(index.documents) document\(index.documents == 1 ? "" : "s") · \(index.chunks) chunks (≤ \(index.chunkSize) word pieces, overlap \(index.overlap)) · \(source)"
    }

    /// One ranking: each hit as a score line, its text, and the query pieces it holds or lacks.
    static func column(_ title: String, _ hits: [SearchHit], isCosine: Bool, _ k: Int, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        canvas.text(title, x: area.x + 1, y: area.y, style: theme.header, maxWidth: area.width - 1)
        guard !hits.isEmpty else {
            canvas.text("no chunk shares a word with the question", x: area.x + 1, y: area.y + 1, style: theme.muted, maxWidth: area.width - 1)
            return
        }
        let shown = hits.prefix(k)
        let each = max(3, min(6, (area.height - 1) / max(1, shown.count)))
        let top = hits.map(\.score).max() ?? 1
        var y = area.y + 1
        for (n, hit) in shown.enumerated() {
            guard y + 2 < area.y + area.height else { break }
            let fraction = Double(isCosine ? max(0, hit.score) : (top > 0 ? hit.score / top : 0))
            let source = URL(fileURLWithPath: hit.source).lastPathComponent + ":\(hit.offset)"
            var x = canvas.text(String(format: "%d. %6.3f ", n + 1, hit.score), x: area.x + 1, y: y, style: .plain)
            x = canvas.text(bar(fraction, width: 10), x: x, y: y, style: theme.probability)
            canvas.text(" " + source, x: x, y: y, style: theme.muted, maxWidth: max(0, area.x + area.width - x))
            let textRows = max(1, each - 2)
            let lines = wrap(hit.text.replacingOccurrences(of: "\n", with: " "), width: area.width - 4, rows: textRows)
            for (row, line) in lines.enumerated() {
                canvas.text(line, x: area.x + 4, y: y + 1 + row, style: .plain, maxWidth: area.width - 4)
            }
            words(hit, theme, x: area.x + 4, y: y + 1 + lines.count, width: area.width - 4, &canvas)
            y += lines.count + 2 + (each > lines.count + 2 ? 1 : 0)
        }
    }

    /// The query's word pieces: ✓ found in the chunk, ✗ not (a chunk with none found matched by meaning only).
    static func words(_ hit: SearchHit, _ theme: Theme, x: Int, y: Int, width: Int, _ canvas: inout Canvas) {
        var spans: [Span] = []
        if hit.matched.isEmpty { spans.append(Span("no shared word: meaning only  ", theme.attention)) }
        spans += hit.matched.map { Span("✓" + $0 + " ", theme.probability) }
        spans += hit.unmatched.map { Span("✗" + $0 + " ", theme.muted) }
        StyledText(spans).render(in: Rect(x: x, y: y, width: width, height: 1), on: &canvas)
    }

    /// Eighth-block bar of `fraction` (0…1) in `width` cells.
    static func bar(_ fraction: Double, width: Int) -> String {
        let eighths = Int((min(1, max(0, fraction)) * Double(width * 8)).rounded())
        let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let full = String(repeating: "█", count: eighths / 8) + blocks[eighths % 8]
        return full + String(repeating: " ", count: max(0, width - Canvas.columns(of: full)))
    }

    /// `text` in lines of at most `width` columns, at most `rows` lines (the last ending in … when cut).
    static func wrap(_ text: String, width: Int, rows: Int) -> [String] {
        guard width > 1, rows > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if Canvas.columns(of: candidate) <= width || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = String(word)
                if lines.count == rows { break }
            }
        }
        if lines.count < rows, !line.isEmpty { lines.append(line) } else if lines.count == rows, !line.isEmpty, var last = lines.popLast() {
            while Canvas.columns(of: last) > width - 1, !last.isEmpty { last.removeLast() }
            lines.append(last + "…")
        }
        return lines.map { Canvas.columns(of: $0) > width ? String($0.prefix(width - 1)) + "…" : $0 }
    }

    /// A one-line text box: the end of the text with the cursor shown.
    static func textBox(_ input: PromptEditor, x: Int, y: Int, width: Int, theme: Theme, _ canvas: inout Canvas) {
        guard width > 2 else { return }
        let visible = String(input.text.suffix(max(1, width - 2)))
        let end = canvas.text(visible, x: x, y: y, style: .plain, maxWidth: width - 1)
        let cursorColumn = min(end, x + Canvas.columns(of: String(visible.prefix(max(0, input.cursor - (input.text.count - visible.count))))))
        canvas.set(cursorColumn, y, canvas[cursorColumn, y]?.character ?? " ", theme.selection)
    }
}
