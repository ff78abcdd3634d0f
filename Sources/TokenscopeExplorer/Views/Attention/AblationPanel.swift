import Foundation
import TokenscopeTokenizers
import TokenscopeUI

// MARK: - The ablation diff panel

/// The bottom panel of the attention view while ablations are on: the switched-off components, and
/// the next-token candidates before → after with Δp and the KL divergence.
enum AblationPanel {
    /// Rows the panel takes (title, column heads, candidates).
    static func height(_ state: AppState) -> Int {
        state.attentionView.ablations.isEmpty ? 0 : 3 + min(6, max(1, state.attentionView.ablationDiff?.rows.count ?? 1))
    }

    static func render(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let view = state.attentionView
        guard !view.ablations.isEmpty, area.height >= 2 else { return }
        canvas.fill(x: area.x, y: area.y, width: area.width, height: 1, style: theme.muted)
        let names = view.ablations.map(\.label).joined(separator: ", ")
        let ids = state.tokens.map(\.id)
        guard let diff = view.ablationDiff, diff.tokenIDs == ids, diff.position == state.selected, diff.ablations == view.ablations else {
            canvas.text(" ablated \(names) · re-running the model…", x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
            return
        }
        canvas.text(String(format: " ablated %@ · next token after #%d · KL %.4f nats · %.0f ms · X clears", names, diff.position, diff.divergence, diff.milliseconds),
                    x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
        canvas.text(" candidate          before →  after       Δp", x: area.x, y: area.y + 1, style: theme.muted, maxWidth: area.width)
        for (i, row) in diff.rows.prefix(area.height - 2).enumerated() {
            let name = TokenSpelling.visible(row.text)
            let padded = name.count >= 16 ? String(name.prefix(16)) : name + String(repeating: " ", count: 16 - name.count)
            let line = String(format: " %@ %6.2f%% → %6.2f%%  %+7.2f%%", padded, row.before * 100, row.after * 100, row.delta * 100)
            let style = abs(row.delta) >= 0.05 ? (row.delta > 0 ? theme.selection : theme.warning) : Style.plain
            canvas.text(line, x: area.x, y: area.y + 2 + i, style: style, maxWidth: area.width)
        }
    }
}
