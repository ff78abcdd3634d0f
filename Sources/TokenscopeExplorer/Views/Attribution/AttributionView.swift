import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Why view

/// Asks the model why it predicts what it does after the selected token: direct logit attribution
/// (each head's and MLP's part of the target's logit, a layer × head grid), input attribution by
/// occlusion (the prompt coloured by effect) and activation patching (layer × position and layer ×
/// head heatmaps of the recovered fraction).
enum AttributionView {
    static func render(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        guard body.height >= 3 else { return }
        modeLine(state, theme, body, &canvas)
        let rest = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        switch state.attributionView.mode {
        case .logit: logit(state, theme, rest, &canvas)
        case .occlusion: OcclusionPanel.render(state, theme, rest, &canvas)
        case .patching: PatchingPanel.render(state, theme, rest, &canvas)
        }
    }

    /// The three modes and their keys, the current one highlighted.
    static func modeLine(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        canvas.fill(x: body.x, y: body.y, width: body.width, height: 1, style: theme.header)
        var x = canvas.text(" why? ", x: body.x, y: body.y, style: theme.header)
        let modes: [(String, String, AttributionViewState.Mode)] = [("d", "direct logit attribution", .logit), ("o", "occlusion", .occlusion), ("p", "activation patching", .patching)]
        for (key, name, mode) in modes {
            x = canvas.text(" \(key) \(name) ", x: x, y: body.y, style: state.attributionView.mode == mode ? theme.selection : theme.header, maxWidth: body.x + body.width - x)
        }
    }

    /// `"text"` with whitespace made visible.
    static func quoted(_ text: String) -> String { "\"\(TokenSpelling.visible(text))\"" }

    /// The target, the selected position and its token, as one phrase.
    static func question(_ state: AppState, target: String) -> String {
        let token = state.selected < state.tokens.count ? quoted(state.tokens[state.selected].text) : ""
        return "why \(quoted(target)) after #\(state.selected) \(token)?"
    }

    /// A waiting or failure line.
    static func status(_ text: String, warning: Bool, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        canvas.text(" " + text, x: area.x, y: area.y, style: warning ? theme.warning : theme.muted, maxWidth: area.width)
    }

    // MARK: Direct logit attribution

    static func logit(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let view = state.attributionView
        let ids = state.tokens.map(\.id)
        guard let target = Reducer.attributionTarget(state) else { return status("analysing the selected token…", warning: false, theme, area, &canvas) }
        guard let report = view.attribution, report.tokenIDs == ids, report.attribution.position == state.selected, report.attribution.target == target else {
            return status(view.message ?? "attributing the logit of \(quoted(state.vocabularyText[target] ?? "")) to every head and MLP…",
                          warning: view.message != nil, theme, area, &canvas)
        }
        let a = report.attribution
        var y = area.y
        canvas.text(" \(question(state, target: report.targetText)) target: candidate \(view.targetRank + 1) of \(AttributionViewState.targetChoices) ([/] another)",
                    x: area.x, y: y, style: theme.selection, maxWidth: area.width)
        y += 1
        let heads = a.components.filter { $0.kind == .head }.reduce(0) { $0 + $1.contribution }
        let mlps = a.components.filter { $0.kind == .mlp }.reduce(0) { $0 + $1.contribution }
        let check = report.addsUp ? String(format: "✓ within %.2f", LogitAttribution.tolerance(for: a.logit)) : "✗ off by more than the tolerance"
        canvas.text(String(format: " logit %.2f · sum of parts %.2f %@ · embedding %@, heads %@, MLPs %@, biases %@",
                           a.logit, a.total, check, signed(a.embedding, "%.2f"), signed(heads, "%.2f"), signed(mlps, "%.2f"), signed(a.biases, "%.2f")),
                    x: area.x, y: y, style: report.addsUp ? .plain : theme.warning, maxWidth: area.width)
        y += 1
        canvas.text(" colour: size of the part · + raises the logit, − lowers it · the final norm's scale frozen at this run's value",
                    x: area.x, y: y, style: theme.muted, maxWidth: area.width)
        y += 1
        let listWidth = min(30, max(22, area.width / 4))
        let gridArea = Rect(x: area.x, y: y, width: area.width - listWidth - 1, height: area.y + area.height - y)
        let gridWidth = grid(state, report, theme, gridArea, &canvas)
        let listX = min(area.x + gridWidth + 3, area.x + area.width - listWidth)
        contributors(state, report, theme, Rect(x: listX, y: y, width: area.x + area.width - listX, height: gridArea.height), &canvas)
    }

    /// The layer × head grid and the MLP column, one row per layer (a window around the selected
    /// layer when the body is shorter than the model); returns the columns it takes.
    @discardableResult
    static func grid(_ state: AppState, _ report: AttributionReport, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) -> Int {
        let heads = state.headCount, layers = state.layerCount
        guard area.height >= 2, area.width >= 8 else { return 0 }
        let label = 4
        let cell = min(6, max(2, (area.width - label) / (heads + 1)))
        let largest = max(1e-9, report.attribution.components.map { abs($0.contribution) }.max() ?? 1)
        var x = area.x + label
        for head in 0..<heads {
            canvas.text(centred("H\(head)", cell), x: x, y: area.y, style: theme.muted)
            x += cell
        }
        canvas.text(centred("MLP", cell), x: x, y: area.y, style: theme.muted)
        let rows = area.height - 1
        let first = layers <= rows ? 0 : min(max(0, state.layer - rows / 2), layers - rows)
        for (row, layer) in (first..<min(layers, first + rows)).enumerated() {
            let y = area.y + 1 + row
            canvas.text("L\(layer)", x: area.x, y: y, style: layer == state.layer ? theme.selection : theme.muted)
            for column in 0...heads {
                let head = column < heads ? column : nil
                guard let value = report.contribution(layer: layer, head: head) else { continue }
                let level = abs(value) / largest
                var style = theme.rampLabel(level)
                if layer == state.layer && head == state.head {
                    style.bold = true
                    style.underline = true
                }
                canvas.text(centred(cellText(value, width: cell), cell), x: area.x + label + column * cell, y: y, style: style)
            }
        }
        return label + (heads + 1) * cell
    }

    /// `value` with a typographic sign (− or +) before its magnitude in `format`.
    static func signed(_ value: Double, _ format: String) -> String {
        (value < 0 ? "−" : "+") + String(format: format, abs(value)).trimmingCharacters(in: .whitespaces)
    }

    /// A contribution in `width` columns: `+1.23`, `+.03`, `+1.2`, `+1`, or its sign.
    static func cellText(_ value: Double, width: Int) -> String {
        let sign = value < 0 ? "−" : "+"
        let magnitude = abs(value)
        switch width {
        case 6...: return sign + String(format: "%.2f", magnitude)
        case 5 where magnitude < 0.995: return sign + String(format: "%.2f", magnitude).dropFirst()
        case 5: return sign + String(format: magnitude < 9.95 ? "%.1f" : "%.0f", magnitude)
        case 3...4: return sign + String(format: "%.0f", magnitude)
        default: return sign
        }
    }

    static func centred(_ text: String, _ width: Int) -> String {
        let w = Canvas.columns(of: text)
        guard w < width else { return String(text.prefix(width)) }
        let left = (width - w) / 2
        return String(repeating: " ", count: left) + text + String(repeating: " ", count: width - w - left)
    }

    /// The selected cell, then the largest parts by size.
    static func contributors(_ state: AppState, _ report: AttributionReport, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height >= 2 else { return }
        var y = area.y
        if let selected = report.contribution(layer: state.layer, head: state.head) {
            canvas.text(String(format: "L%d H%d: %+.3f", state.layer, state.head, selected), x: area.x, y: y, style: theme.selection, maxWidth: area.width)
            y += 1
        }
        canvas.text("top contributors", x: area.x, y: y, style: theme.header, maxWidth: area.width)
        y += 1
        let ranked = report.attribution.components.sorted { abs($0.contribution) > abs($1.contribution) }
        for component in ranked.prefix(max(0, area.y + area.height - y)) {
            let name = component.head.map { "L\(component.layer) H\($0)" } ?? "L\(component.layer) MLP"
            let padded = name.padding(toLength: 8, withPad: " ", startingAt: 0)
            canvas.text(padded + " " + signed(component.contribution, "%6.3f"), x: area.x, y: y,
                        style: component.contribution >= 0 ? .plain : theme.warning, maxWidth: area.width)
            y += 1
        }
    }
}
