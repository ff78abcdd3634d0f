import Foundation
import TokenscopeUI

// MARK: - Similarity view

/// The encoder's answer to "how alike are these sentences?": the sentences, their cosine matrix as
/// a heatmap (1 on the diagonal: each sentence with itself), and the selected sentence's pooled
/// embedding by its largest dimensions. Shown in the sampling view's place when the model is an
/// encoder, which predicts no next token.
enum SimilarityView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let view = state.similarityView
        canvas.text(" similarity · sentence embeddings: the mean of the last hidden states, unit length · cosine = dot product",
                    x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        var y = body.y + 1
        // The sentences, numbered; the selected one highlighted (or the text box over it).
        let counts = view.report?.sentences == view.sentences ? view.report?.tokenCounts : nil
        for (n, sentence) in view.sentences.enumerated() {
            guard y < body.y + body.height - 2 else { break }
            let selected = n == view.selected
            let x = canvas.text(String(format: " %d ", n + 1), x: body.x, y: y, style: selected ? theme.selection : theme.muted)
            if let input = view.input, !view.adding, selected {
                SearchView.textBox(input, x: x, y: y, width: body.x + body.width - x, theme: theme, &canvas)
            } else {
                let tokens = counts.map { " (\($0[n]) tokens)" } ?? ""
                canvas.text(sentence + tokens, x: x, y: y, style: selected ? theme.selection : .plain, maxWidth: body.x + body.width - x)
            }
            y += 1
        }
        if let input = view.input, view.adding {
            let x = canvas.text(" + ", x: body.x, y: y, style: theme.selection)
            SearchView.textBox(input, x: x, y: y, width: body.x + body.width - x, theme: theme, &canvas)
            y += 1
        }
        y += 1
        if let message = view.message {
            canvas.text(" " + message, x: body.x, y: y, style: theme.warning, maxWidth: body.width)
            return
        }
        guard let report = view.report, report.sentences == view.sentences else {
            canvas.text(" embedding the sentences…", x: body.x, y: y, style: theme.muted, maxWidth: body.width)
            return
        }
        let area = Rect(x: body.x, y: y, width: body.width, height: body.y + body.height - y)
        let matrixWidth = matrix(report, selected: view.selected, theme, area, &canvas)
        let rest = Rect(x: area.x + matrixWidth + 2, y: area.y, width: area.width - matrixWidth - 2, height: area.height)
        if rest.width >= 30 {
            dimensions(report, selected: view.selected, theme, rest, &canvas)
        } else if area.height > report.sentences.count + 4 {
            dimensions(report, selected: view.selected, theme,
                       Rect(x: area.x, y: area.y + report.sentences.count + 3, width: area.width, height: area.height - report.sentences.count - 3), &canvas)
        }
    }

    /// The cosine matrix: one cell of ` 0.82 ` per pair, coloured from 0 (or the lowest) to 1.
    /// Returns the width drawn.
    static func matrix(_ report: SimilarityReport, selected: Int, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) -> Int {
        let n = report.sentences.count
        let cell = 6
        canvas.text("cosine", x: area.x + 1, y: area.y, style: theme.muted)
        for j in 0..<n { canvas.text(String(format: "%4d", j + 1), x: area.x + 4 + j * cell, y: area.y + 1, style: theme.muted) }
        let low = min(0, report.matrix.min() ?? 0)
        for i in 0..<n {
            let y = area.y + 2 + i
            guard y < area.y + area.height - 1 else { break }
            canvas.text(String(format: "%2d", i + 1), x: area.x + 1, y: y, style: i == selected ? theme.selection : theme.muted)
            for j in 0..<n {
                let value = report.cosine(i, j)
                let intensity = Double((value - low) / max(1e-6, 1 - low))
                canvas.text(String(format: " %5.2f", value), x: area.x + 3 + j * cell, y: y, style: theme.rampLabel(intensity))
            }
        }
        let legendY = area.y + 2 + n
        if legendY < area.y + area.height {
            Heatmap.legend(low: String(format: " %.1f", low), high: "1", caption: "cosine", x: area.x + 1, y: legendY, theme: theme, on: &canvas)
        }
        return 3 + n * cell + 1
    }

    /// The selected sentence's embedding: its largest dimensions (by absolute value) as bars.
    static func dimensions(_ report: SimilarityReport, selected: Int, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard report.embeddings.indices.contains(selected), area.height >= 2 else { return }
        let vector = report.embeddings[selected]
        canvas.text("sentence \(selected + 1): top dimensions of \(vector.count)", x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
        let top = vector.indices.sorted { abs(vector[$0]) > abs(vector[$1]) }.prefix(max(0, area.height - 1))
        let largest = top.first.map { abs(vector[$0]) } ?? 1
        for (row, dimension) in top.enumerated() {
            let value = vector[dimension]
            let x = canvas.text(String(format: "dim %3d %+.3f ", dimension, value), x: area.x, y: area.y + 1 + row, style: .plain)
            canvas.text(SearchView.bar(Double(abs(value) / max(largest, 1e-6)), width: max(1, min(20, area.x + area.width - x))),
                        x: x, y: area.y + 1 + row, style: value >= 0 ? theme.probability : theme.attention)
        }
    }
}
