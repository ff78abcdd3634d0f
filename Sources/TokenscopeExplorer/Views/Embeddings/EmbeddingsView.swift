import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Embeddings view

/// Nearest neighbours in the input embedding matrix of the selected token or a typed word, analogies
/// (`king - man + woman`), a PCA scatter of them, and the selected position's hidden state at a layer
/// beside its static embedding.
enum EmbeddingsView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let view = state.embeddingsView
        let contextLayer = state.layer + 1
        var y = body.y
        canvas.fill(x: body.x, y: y, width: body.width, height: 1, style: theme.header)
        let query = view.query.isEmpty ? "the selected token" : "\"\(view.query)\""
        canvas.text(" embeddings · query: \(query) · ⏎/w type a word or an analogy (king - man + woman) · hidden state after block \(contextLayer - 1) (↑/↓)",
                    x: body.x, y: y, style: theme.header, maxWidth: body.width)
        y += 1
        if let input = view.input {
            let x = canvas.text(" look up: ", x: body.x, y: y, style: theme.selection)
            let end = canvas.text(input.text, x: x + 1, y: y, style: .plain, maxWidth: body.width - x - 2)
            canvas.set(min(end, x + 1 + input.cursor), y, "▏", theme.selection)
            canvas.text("  ⏎ look up · Esc cancel · empty = the selected token", x: end + 2, y: y, style: theme.muted)
        }
        y += 1
        guard let report = view.report, !state.tokens.isEmpty, report.tokenIDs == state.tokens.map(\.id) else {
            canvas.text(view.message ?? " computing neighbours…", x: body.x, y: y, style: view.message == nil ? theme.muted : theme.warning, maxWidth: body.width)
            return
        }
        if let message = view.message ?? report.message {
            canvas.text(" " + message, x: body.x, y: y, style: theme.warning, maxWidth: body.width)
            y += 1
        }
        // Top half: the ranked list and the scatter.
        // When the query is the selected token, the list at the top is its static neighbours: the
        // bottom then shows only the contextual ones (left) and the scatter keeps the right side.
        let staticAbove = report.neighbours == report.staticNeighbours
        var bottomHeight = max(5, (body.y + body.height - y) * 2 / 5)
        if staticAbove { bottomHeight = max(bottomHeight, body.y + body.height - y - report.neighbours.count - 2) }
        let topHeight = body.y + body.height - y - bottomHeight
        let listWidth = body.width / 2
        let heading: String
        if report.terms.isEmpty {
            let pieces = report.queryIDs.count > 1 ? " (\(report.queryIDs.count) tokens, mean vector)" : " (id \(report.queryIDs.first ?? 0))"
            let kind = report.neighbours == report.staticNeighbours ? "static · " : ""
            heading = kind + "nearest to \"\(TokenSpelling.visible(report.queryLabel))\"" + pieces
        } else {
            let expression = report.terms.enumerated().map { index, term in
                (index == 0 ? (term.sign < 0 ? "−" : "") : (term.sign < 0 ? " − " : " + ")) + term.word.trimmingCharacters(in: .whitespaces)
            }.joined()
            heading = "\(expression) ≈ (inputs excluded)"
        }
        canvas.text(" " + heading, x: body.x, y: y, style: theme.selection, maxWidth: listWidth - 1)
        let rows = report.neighbours.prefix(max(0, topHeight - 1)).enumerated().map { index, neighbour in
            BarChart.Row(label: String(format: "%2d ", index + 1) + neighbour.label, value: Double(max(0, neighbour.similarity)),
                         annotation: String(format: "%.3f", neighbour.similarity))
        }
        BarChart(rows: Array(rows), maximum: 1, labelWidth: 16, barStyle: Style(foreground: theme.rampColor(0.7)), annotationStyle: theme.muted)
            .render(in: Rect(x: body.x + 1, y: y + 1, width: listWidth - 2, height: topHeight - 1), on: &canvas)
        canvas.text("PCA of the query, neighbours, terms and the hidden state", x: body.x + listWidth, y: y, style: theme.muted, maxWidth: body.width - listWidth)
        let points = report.points.map { point in
            BrailleScatter.Point(x: point.x, y: point.y, label: TokenSpelling.visible(point.label), style: style(point.kind, theme))
        }
        let scatterHeight = staticAbove ? body.y + body.height - y - 1 : topHeight - 1
        BrailleScatter(points: points).render(in: Rect(x: body.x + listWidth, y: y + 1, width: body.width - listWidth, height: max(1, scatterHeight)), on: &canvas)
        y += topHeight

        // Bottom: contextual vs static.
        let q = min(state.selected, state.tokens.count - 1)
        let token = state.tokens[q].label
        if staticAbove {
            canvas.text(" contextual · token \(q) after block \(report.layer - 1)",
                        x: body.x, y: y, style: theme.header, maxWidth: listWidth - 1)
            canvas.text(String(format: " norm %.1f · cosine to static %.3f", report.hiddenNorm, report.hiddenToStatic),
                        x: body.x, y: y + 1, style: theme.muted, maxWidth: listWidth - 1)
            let room = max(0, body.y + body.height - y - 2)
            let rows = report.contextualNeighbours.prefix(room).enumerated().map { index, neighbour in
                BarChart.Row(label: String(format: "%2d ", index + 1) + neighbour.label, value: Double(max(0, neighbour.similarity)),
                             annotation: String(format: "%.3f", neighbour.similarity))
            }
            BarChart(rows: Array(rows), maximum: 1, labelWidth: 16, barStyle: Style(foreground: theme.rampColor(0.7)), annotationStyle: theme.muted)
                .render(in: Rect(x: body.x + 1, y: y + 2, width: listWidth - 2, height: room), on: &canvas)
            return
        }
        canvas.text(String(format: " contextual vs static · token %d \"%@\" · hidden state after block %d: norm %.1f, cosine to its embedding %.3f",
                           q, token, report.layer - 1, report.hiddenNorm, report.hiddenToStatic),
                    x: body.x, y: y, style: theme.header, maxWidth: body.width)
        y += 1
        let half = body.width / 2
        canvas.text(" static: the embedding row of \"\(token)\"", x: body.x, y: y, style: theme.muted, maxWidth: half - 1)
        canvas.text("contextual: residual after block \(report.layer - 1)", x: body.x + half, y: y, style: theme.muted, maxWidth: body.width - half)
        y += 1
        let room = max(0, body.y + body.height - y)
        for (column, list) in [report.staticNeighbours, report.contextualNeighbours].enumerated() {
            let x = body.x + 1 + column * half
            for (index, neighbour) in list.prefix(room).enumerated() {
                let text = String(format: "%2d %@", index + 1, neighbour.label)
                let end = canvas.text(text, x: x, y: y + index, style: .plain, maxWidth: half - 10)
                canvas.text(String(format: "%.3f", neighbour.similarity), x: max(end + 1, x + half - 9), y: y + index, style: theme.muted)
            }
        }
    }

    static func style(_ kind: ScatterPoint.Kind, _ theme: Theme) -> Style {
        guard theme.hasColor else { return kind == .neighbour || kind == .result ? .plain : Style(bold: true) }
        switch kind {
        case .query: return theme.marks[0]
        case .term: return theme.marks[1]
        case .contextual: return theme.marks[2]
        case .neighbour, .result: return theme.marks[3]
        }
    }
}
