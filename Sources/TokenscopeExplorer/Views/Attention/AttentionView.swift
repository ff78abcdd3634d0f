import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Attention view

/// One head's attention as a heatmap (queries down, keys across) with the selected token's row as
/// text; every head of a layer as small multiples; every layer × head as an overview. All drawn from
/// `state.attentionView`, which holds every head of the selected layer, so moving is instant.
enum AttentionView {
    static let labelWidth = 12

    static func render(_ state: AppState, _ theme: Theme, _ whole: Rect, _ canvas: inout Canvas) {
        let view = state.attentionView
        // The ablation diff panel, when ablations are on, takes the bottom rows.
        let panel = min(AblationPanel.height(state), max(0, whole.height - 6))
        let body = Rect(x: whole.x, y: whole.y, width: whole.width, height: whole.height - panel)
        if panel > 0 {
            AblationPanel.render(state, theme, Rect(x: whole.x, y: whole.y + whole.height - panel, width: whole.width, height: panel), &canvas)
        }
        let ids = state.tokens.map(\.id)
        switch view.mode {
        case .overview:
            guard let overview = view.overview, overview.tokenIDs == ids else { return loading(state, theme, body, &canvas, "the model overview") }
            renderOverview(state, overview, theme, body, &canvas)
        case .layer, .head:
            guard let data = view.layerData, data.tokenIDs == ids, data.layer == state.layer, data.heads.count > 0 else {
                return loading(state, theme, body, &canvas, "layer \(state.layer)'s attention")
            }
            if view.mode == .layer { renderLayer(state, data, theme, body, &canvas) } else { renderHead(state, data, theme, body, &canvas) }
        }
    }

    static func loading(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas, _ what: String) {
        canvas.text(" " + title(state), x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        canvas.text(state.attentionView.message ?? " computing \(what)…", x: body.x, y: body.y + 2,
                    style: state.attentionView.message == nil ? theme.muted : theme.warning, maxWidth: body.width)
    }

    // MARK: Labels

    /// The KV head a query head reads (grouped-query attention).
    static func kvHead(_ head: Int, _ state: AppState) -> Int { head / max(1, state.headCount / max(1, state.kvHeadCount)) }

    static func title(_ state: AppState) -> String {
        if state.isEncoder {
            return "layer \(state.layer) (0–\(state.layerCount - 1)) · head \(state.head) (0–\(state.headCount - 1)) · encoder: every token sees every token"
        }
        var title = "layer \(state.layer) (0–\(state.layerCount - 1)) · head \(state.head) (0–\(state.headCount - 1))"
        // Grouped-query attention only: with one KV head per query head no keys are shared.
        if state.kvHeadCount < state.headCount {
            let group = max(1, state.headCount / max(1, state.kvHeadCount))
            let kv = kvHead(state.head, state)
            title += " · shares KV head \(kv) (0–\(state.kvHeadCount - 1)) with heads \(kv * group)–\(kv * group + group - 1)"
        }
        return title + windowNote(state)
    }

    /// " · window 512 (local layer)" on a sliding-window layer, " · global layer" on the others of a
    /// model that has windows, "" for a model without.
    static func windowNote(_ state: AppState) -> String {
        if let window = state.attentionWindow(layer: state.layer) { return " · window \(window) (local layer)" }
        return state.hasAttentionWindows ? " · global layer" : ""
    }

    /// Whether key `k` is hidden from query `q`: the future (unless the model is an encoder), a key
    /// outside a sliding window, or the first token when it is hidden.
    static func isMasked(query q: Int, key k: Int, window: Int?, hideFirst: Bool, bidirectional: Bool = false) -> Bool {
        (k > q && !bidirectional) || (window.map { abs(q - k) >= $0 } ?? false) || (hideFirst && k == 0)
    }

    static func patternName(_ pattern: AttentionPattern?) -> String {
        switch pattern {
        case .previousToken: "previous"
        case .firstToken: "first"
        case .selfToken: "self"
        case .induction: "induction"
        case .diffuse: "diffuse"
        case nil: "mixed"
        }
    }

    static func toggles(_ view: AttentionViewState) -> String {
        var parts: [String] = []
        if view.scores { parts.append("scores") }
        if view.logScale { parts.append("log") }
        if view.hideFirst { parts.append("first hidden") }
        if view.averageHeads { parts.append("mean of heads") }
        if view.zoom > 1 { parts.append("zoom ÷\(view.zoom)") }
        return parts.isEmpty ? "" : " [" + parts.joined(separator: ", ") + "]"
    }

    // MARK: Colour scale

    /// How values map to [0, 1]: √p (or log10 p from 10⁻⁴) up to the largest shown value, or scores
    /// between their minimum and maximum.
    struct Scale {
        let isScores: Bool
        let logScale: Bool
        let low: Float
        let high: Float

        init(matrix: AttentionMatrix, view: AttentionViewState, window: Int? = nil) {
            isScores = matrix.isScores
            logScale = view.logScale
            var low = Float.infinity, high = -Float.infinity
            let n = matrix.count
            for q in 0..<n {
                for k in (view.hideFirst ? 1 : 0)..<matrix.keys(of: q).upperBound where !AttentionView.isMasked(query: q, key: k, window: window, hideFirst: false, bidirectional: matrix.isBidirectional) {
                    let v = matrix.value(query: q, key: k)
                    low = min(low, v)
                    high = max(high, v)
                }
            }
            if !high.isFinite { low = 0; high = 1 }
            self.low = isScores ? low : 0
            self.high = isScores ? high : (view.hideFirst ? max(high, 1e-6) : 1)
        }

        func intensity(_ v: Double) -> Double {
            guard !v.isNaN else { return .nan }
            if isScores { return high > low ? (v - Double(low)) / Double(high - low) : 0.5 }
            let top = Double(high)
            if logScale {
                let floor = -4.0
                return (log10(max(v, 1e-4)) - floor) / max(1e-9, log10(top) - floor)
            }
            return (max(0, v) / top).squareRoot()
        }

        var legend: (String, String, String) {
            if isScores { return (String(format: "%.1f", low), String(format: "%.1f", high), "pre-softmax score q·k/√d") }
            if logScale { return ("≤0.0001", String(format: "%.2f", high), "colour ∝ log₁₀ weight") }
            return ("0", String(format: "%.2f", high), "colour ∝ √weight")
        }
    }

    // MARK: One head

    static func renderHead(_ state: AppState, _ data: LayerAttention, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let view = state.attentionView
        let head = min(state.head, data.heads.count - 1)
        let matrix = view.averageHeads ? data.average : data.heads[head]
        let stats = view.averageHeads ? data.average.statistics(tokenIDs: data.tokenIDs) : data.statistics[head]
        let n = matrix.count
        let window = state.attentionWindow(layer: state.layer)
        var headline = view.averageHeads
            ? "layer \(state.layer) (0–\(state.layerCount - 1)) · mean of \(data.heads.count) heads" + windowNote(state)
            : title(state)
        headline += String(format: " · entropy %.2f bits · %@", stats.entropy, patternName(stats.pattern) + scoreNote(stats)) + toggles(view)
        canvas.text(" " + headline, x: body.x, y: body.y, style: theme.header, maxWidth: body.width)

        // Layout: ruler, map, legend, the selected row as text, its top keys. The map takes the
        // rows it needs (at most all but the five fixed ones); the rows it leaves go to the
        // selected row's list of strongest keys, so no row of the body stays empty.
        let mapTop = body.y + 2
        let mapTextRows = max(1, body.height - 5)
        let mapWidth = max(1, body.width - labelWidth - 1)
        let zoom = max(1, view.zoom)
        let pixels = (n + zoom - 1) / zoom
        let fullCells = zoom == 1 && n <= mapTextRows
        let cellWidth = fullCells ? min(4, max(1, mapWidth / max(1, n))) : 1
        let visibleRows = fullCells ? mapTextRows : mapTextRows * 2
        let visibleColumns = mapWidth / cellWidth
        let rows = min(pixels, visibleRows), columns = min(pixels, visibleColumns)
        let selectedPixel = state.selected / zoom
        let firstRow = max(0, min(pixels - rows, selectedPixel - rows / 2))
        let lastRow = firstRow + rows - 1
        let firstColumn = max(0, min(pixels - columns, lastRow - columns + 1))
        let scale = Scale(matrix: matrix, view: view, window: window)
        var values = [Double](repeating: .nan, count: rows * columns)
        for r in 0..<rows {
            let q0 = (firstRow + r) * zoom, q1 = min(n, q0 + zoom)
            for c in 0..<columns {
                let k0 = (firstColumn + c) * zoom, k1 = min(n, k0 + zoom)
                let mean = Heatmap.average(rows: q0..<q1, columns: k0..<k1) { q, k in
                    isMasked(query: q, key: k, window: window, hideFirst: view.hideFirst, bidirectional: matrix.isBidirectional) ? nil : matrix.value(query: q, key: k)
                }
                values[r * columns + c] = scale.intensity(mean)
            }
        }
        let map = Heatmap(values: values, rows: rows, columns: columns, halfBlocks: !fullCells, cellWidth: cellWidth, theme: theme)
        let mapX = body.x + labelWidth + 1
        map.render(in: Rect(x: mapX, y: mapTop, width: mapWidth, height: min(map.textRows, mapTextRows)), on: &canvas)

        // Key ruler: token text over wide cells, else positions every 10 pixels.
        if cellWidth >= 3 {
            for c in 0..<columns {
                let k = (firstColumn + c) * zoom
                canvas.text(state.tokens[k].label, x: mapX + c * cellWidth, y: mapTop - 1, style: theme.muted, maxWidth: cellWidth - 1)
            }
        } else {
            canvas.text("keys →", x: body.x + 1, y: mapTop - 1, style: theme.muted)
            var c = 0
            while c < columns {
                let k = (firstColumn + c) * zoom
                if k % (10 * zoom) == 0 || c == 0 {
                    canvas.text("|\(k)", x: mapX + c, y: mapTop - 1, style: theme.muted)
                    c += max(5, String(k).count + 2)
                } else { c += 1 }
            }
        }
        // Query labels.
        for textRow in 0..<map.textRows {
            let pixel = firstRow + (fullCells ? textRow : textRow * 2)
            let q = pixel * zoom
            guard q < n else { break }
            let queriesHere = fullCells ? q..<(q + 1) : q..<min(n, q + 2 * zoom)
            // A text row of half blocks holds two queries: it names the selected one when it holds it.
            let named = queriesHere.contains(state.selected) ? state.selected : q
            let label = zoom == 1 ? String(format: "%3d ", named) + state.tokens[named].label : "\(q)–\(queriesHere.upperBound - 1)"
            canvas.text(label, x: body.x, y: mapTop + textRow, style: queriesHere.contains(state.selected) ? theme.selection : theme.muted, maxWidth: labelWidth)
            // A click on a row's label (or the row of the map) selects that query.
            canvas.markToken(q, x: body.x, y: mapTop + textRow, width: labelWidth + 1 + columns * cellWidth)
        }
        var y = mapTop + map.textRows
        let (low, high, caption) = scale.legend
        let columnsNote = matrix.isBidirectional
            ? " · rows: queries ↓ · columns: keys → (before and after)"
            : " · rows: queries ↓ · columns: keys → · blank = future" + (window == nil ? "" : " or outside the window")
        Heatmap.legend(low: " " + low, high: high, caption: caption + columnsNote, x: body.x + labelWidth - 6, y: y, theme: theme, on: &canvas)
        y += 1
        selectedRow(state, matrix, scale, theme, Rect(x: body.x, y: y, width: body.width, height: body.y + body.height - y), &canvas)
    }

    /// The selected token's row: its strongest keys, the sequence shaded by weight, and, when rows
    /// are left below, the strongest keys as a ranked list with bars.
    static func selectedRow(_ state: AppState, _ matrix: AttentionMatrix, _ scale: Scale, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height >= 2 else { return }
        let q = min(state.selected, matrix.count - 1)
        let n = matrix.count
        var weights: [(Int, Float)] = matrix.keys(of: q).map { ($0, matrix.value(query: q, key: $0)) }
        if state.attentionView.hideFirst { weights.removeFirst() }
        weights.sort { $0.1 > $1.1 }
        let listRows = area.height - 2
        if listRows > 0 {
            canvas.text(" token \(q) \"\(state.tokens[q].label)\" attends to (strongest keys below, the row shaded by weight):",
                        x: area.x, y: area.y, style: .plain, maxWidth: area.width)
            strongestKeys(state, weights, scale, theme, Rect(x: area.x, y: area.y + 2, width: area.width, height: listRows), &canvas)
        } else {
            let top = weights.prefix(6).map { String(format: "#%d \"%@\" %.3f", $0.0, state.tokens[$0.0].label, $0.1) }
            canvas.text(" token \(q) \"\(state.tokens[q].label)\" attends to: " + top.joined(separator: " · "),
                        x: area.x, y: area.y, style: .plain, maxWidth: area.width)
        }
        // The sequence, each earlier token's background shaded by its weight; the window ends at q.
        var texts: [(Int, String)] = []
        var used = 0
        // An encoder's row also covers the tokens after q: half the room before it, the rest after.
        let before = matrix.isBidirectional ? (area.width - 2) / 2 : area.width - 2
        for k in stride(from: q, through: 0, by: -1) {
            let text = state.tokens[k].label
            used += Canvas.columns(of: text) + 1
            if used > before { break }
            texts.insert((k, text), at: 0)
        }
        if matrix.isBidirectional {
            for k in (q + 1)..<max(q + 1, n) {
                let text = state.tokens[k].label
                used += Canvas.columns(of: text) + 1
                if used > area.width - 2 { break }
                texts.append((k, text))
            }
        }
        var x = area.x + 1
        for (k, text) in texts {
            let hidden = state.attentionView.hideFirst && k == 0
            let intensity = hidden ? 0 : scale.intensity(Double(matrix.value(query: q, key: k)))
            let style = theme.rampLabel(intensity)
            let end = canvas.text(text, x: x, y: area.y + 1, style: style)
            canvas.markToken(k, x: x, y: area.y + 1, width: end - x)
            x = end + 1
        }
    }

    /// The strongest keys of the selected row, ranked, in as many columns of
    /// `#position token  weight bar` as fit across `area`, filled top to bottom.
    static func strongestKeys(_ state: AppState, _ weights: [(Int, Float)], _ scale: Scale, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height > 0, !weights.isEmpty else { return }
        let columnWidth = 38
        let columns = max(1, min((weights.count + area.height - 1) / area.height, area.width / columnWidth))
        let width = area.width / columns
        let barWidth = max(0, width - 30)
        let top = weights[0].1
        for (rank, (k, weight)) in weights.prefix(columns * area.height).enumerated() {
            let x = area.x + 1 + (rank / area.height) * width, y = area.y + rank % area.height
            let label = String(format: "%2d. #%-4d", rank + 1, k)
            var end = canvas.text(label, x: x, y: y, style: theme.muted)
            let tokenEnd = canvas.text(state.tokens[k].label, x: end + 1, y: y, style: .plain, maxWidth: 12)
            canvas.markToken(k, x: end + 1, y: y, width: tokenEnd - end - 1)
            end = canvas.text(String(format: "%.3f", weight), x: x + 23, y: y, style: .plain)
            // Bars ∝ weight (scores: their place between the row's extremes of the colour scale).
            let fraction = scale.isScores ? scale.intensity(Double(weight)) : Double(weight) / Double(max(1e-9, top))
            let cells = fraction.isNaN ? 0 : Int((max(0, min(1, fraction)) * Double(barWidth)).rounded())
            if cells > 0 { canvas.text(String(repeating: "█", count: cells), x: end + 1, y: y, style: Style(foreground: theme.rampColor(0.7))) }
        }
    }

    // MARK: Every head of the layer

    static func renderLayer(_ state: AppState, _ data: LayerAttention, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let kvNote = state.kvHeadCount < state.headCount ? " (\(state.kvHeadCount) KV heads)" : ""
        canvas.text(" layer \(state.layer) (0–\(state.layerCount - 1)) · all \(data.heads.count) heads\(kvNote)\(windowNote(state)) · ,/. head · ↑/↓ layer · ⏎ opens" + toggles(state.attentionView),
                    x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        let count = data.heads.count
        let gridColumns = count <= 4 ? count : (count <= 9 ? 3 : 4)
        let gridRows = (count + gridColumns - 1) / gridColumns
        let cellWidth = body.width / gridColumns
        let cellHeight = max(2, (body.height - 1) / gridRows)
        for head in 0..<count {
            let x = body.x + (head % gridColumns) * cellWidth
            let y = body.y + 1 + (head / gridColumns) * cellHeight
            let stats = data.statistics[head]
            let shared = state.kvHeadCount < state.headCount
            let label = cellWidth >= 36
                ? String(format: "head %d%@ · %.2f bits · %@", head, shared ? " · KV \(kvHead(head, state))" : "", stats.entropy,
                         labelWithScore(stats).isEmpty ? patternName(stats.pattern) : labelWithScore(stats))
                : String(format: "H%d%@ %.2fb %@", head, shared ? " kv\(kvHead(head, state))" : "", stats.entropy, short(stats.pattern))
            canvas.text(label, x: x + 1, y: y, style: head == state.head ? theme.selection : theme.muted, maxWidth: cellWidth - 2)
            thumbnail(data.heads[head], state.attentionView, window: state.attentionWindow(layer: state.layer), theme, Rect(x: x + 1, y: y + 1, width: cellWidth - 3, height: cellHeight - 1), &canvas)
        }
    }

    /// A whole matrix fitted to `area` (half blocks): long sequences averaged into cells, short
    /// ones stretched, so the thumbnail fills its cell either way.
    static func thumbnail(_ matrix: AttentionMatrix, _ view: AttentionViewState, window: Int? = nil, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.width > 0, area.height > 0, matrix.count > 0 else { return }
        let n = matrix.count
        let rows = area.height * 2, columns = area.width
        let scale = Scale(matrix: matrix, view: view, window: window)
        let values = Heatmap.resample(sourceRows: n, sourceColumns: n, rows: rows, columns: columns) { q, k in
            isMasked(query: q, key: k, window: window, hideFirst: view.hideFirst, bidirectional: matrix.isBidirectional) ? nil : matrix.value(query: q, key: k)
        }.map(scale.intensity)
        Heatmap(values: values, rows: rows, columns: columns, halfBlocks: true, theme: theme).render(in: area, on: &canvas)
    }

    // MARK: Every layer × head

    static func renderOverview(_ state: AppState, _ overview: AttentionOverview, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let selected = overview.summary(layer: state.layer, head: state.head)
        var headline = "overview \(overview.layerCount)×\(overview.headCount) · prv previous, 1st first, slf self, ind induction (score ≥ \(Int(HeadDetector.threshold * 100))%), dif diffuse · ⏎ opens"
        if let selected {
            headline += String(format: " · L%d H%d: %.2f bits, %@", state.layer, state.head, selected.statistics.entropy, patternName(selected.statistics.pattern) + scoreNote(selected.statistics))
        }
        canvas.text(" " + headline, x: body.x, y: body.y, style: theme.header, maxWidth: body.width)
        let gutter = 4
        let cellWidth = max(4, (body.width - gutter) / max(1, overview.headCount))
        let cellHeight = 3  // two rows of thumbnail (four pixel rows), one label
        var y = body.y + 1
        for head in 0..<overview.headCount {
            canvas.text("H\(head)", x: body.x + gutter + head * cellWidth, y: y, style: head == state.head ? theme.selection : theme.muted)
        }
        y += 1
        let visibleLayers = max(1, (body.y + body.height - y) / cellHeight)
        let firstLayer = max(0, min(overview.layerCount - visibleLayers, state.layer - visibleLayers / 2))
        for layer in firstLayer..<min(overview.layerCount, firstLayer + visibleLayers) {
            canvas.text("L\(layer)", x: body.x, y: y, style: layer == state.layer ? theme.selection : theme.muted)
            for head in 0..<overview.headCount {
                guard let summary = overview.summary(layer: layer, head: head) else { continue }
                let x = body.x + gutter + head * cellWidth
                let size = summary.thumbnailSize
                // The thumbnail fills its cell (stretched from the pooled size×size matrix).
                let rows = min(size, 4), columns = max(1, cellWidth - 1)
                let values = Heatmap.resample(sourceRows: size, sourceColumns: size, rows: rows, columns: columns) { r, c in
                    summary.thumbnail[r * size + c]
                }.map { $0.isNaN ? $0 : $0.squareRoot() }
                Heatmap(values: values, rows: rows, columns: columns, halfBlocks: true, theme: theme)
                    .render(in: Rect(x: x, y: y, width: cellWidth - 1, height: 2), on: &canvas)
                let isSelected = layer == state.layer && head == state.head
                let label = labelWithScore(summary.statistics) + String(format: "%.1fb", summary.statistics.entropy)
                canvas.text(label, x: x, y: y + 2, style: isSelected ? theme.selection : theme.muted, maxWidth: cellWidth - 1)
            }
            y += cellHeight
        }
    }

    /// A pattern label with the score it rests on, so no label stands next to a number that
    /// contradicts it: the mean weight on the previous / first / own token, or the normalised
    /// entropy for "diffuse" (`prv 62% `); empty when the head has no clear pattern.
    static func labelWithScore(_ stats: AttentionStatistics) -> String {
        let score: Double
        switch stats.pattern {
        case .previousToken: score = stats.previousTokenWeight
        case .firstToken: score = stats.firstTokenWeight
        case .selfToken: score = stats.selfWeight
        case .induction: score = stats.inductionScore ?? 0
        case .diffuse: score = stats.normalizedEntropy
        case nil: return ""
        }
        return "\(short(stats.pattern)) \(Int((score * 100).rounded()))% "
    }

    /// " (62% on the previous token)": the score behind a named pattern, for the headline.
    static func scoreNote(_ stats: AttentionStatistics) -> String {
        switch stats.pattern {
        case .previousToken: String(format: " (%.0f%% on the previous token)", stats.previousTokenWeight * 100)
        case .firstToken: String(format: " (%.0f%% on the first token)", stats.firstTokenWeight * 100)
        case .selfToken: String(format: " (%.0f%% on its own token)", stats.selfWeight * 100)
        case .induction: String(format: " (%.0f%% on the token after an earlier occurrence)", (stats.inductionScore ?? 0) * 100)
        case .diffuse: String(format: " (normalised entropy %.0f%%)", stats.normalizedEntropy * 100)
        case nil: ""
        }
    }

    static func short(_ pattern: AttentionPattern?) -> String {
        switch pattern {
        case .previousToken: "prv"
        case .firstToken: "1st"
        case .selfToken: "slf"
        case .induction: "ind"
        case .diffuse: "dif"
        case nil: ""
        }
    }
}
