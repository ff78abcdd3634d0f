import TokenscopeUI

// MARK: - An attention grid

/// The heatmap grid the side-by-side attention panels draw (the cross-model view's two models, the
/// split view's two prompts): key labels across the top, a label per query row, and a ramp cell per
/// (query, key) with its weight written in when the cell is wide enough. The selected token's label
/// is highlighted on both axes; with `marksTokens` a click on a label selects its token.
struct AttentionGrid {
    /// What one cell shows.
    enum Cell {
        /// Nothing (a key the query cannot see, left blank).
        case blank
        /// A masked key, drawn as a centred `·`.
        case masked
        /// A weight at `intensity` (0…1 of the ramp), with `label` written in when there is room.
        case weight(intensity: Double, label: String?)
    }

    /// Every token's label (both axes).
    let labels: [String]
    /// The query rows and key columns on screen.
    let rows: ClosedRange<Int>
    let columns: ClosedRange<Int>
    /// The selected token (highlighted on both axes).
    let selected: Int
    /// Columns of the row labels, and of each cell; rows of each cell.
    let labelWidth: Int
    let cellWidth: Int
    let rowHeight: Int
    /// Whether the labels are click targets for their tokens.
    let marksTokens: Bool

    /// Draws the grid with its key labels on row `top` and its left edge at `x`; `cell` says what
    /// each (query, key) shows.
    func draw(x: Int, top: Int, _ theme: Theme, _ canvas: inout Canvas, cell: (_ query: Int, _ key: Int) -> Cell) {
        for column in columns where cellWidth >= 3 {
            let cx = x + labelWidth + (column - columns.lowerBound) * cellWidth
            canvas.text(labels[column], x: cx, y: top, style: column == selected ? theme.selection : theme.muted, maxWidth: cellWidth - 1)
            if marksTokens { canvas.markToken(column, x: cx, y: top, width: cellWidth - 1) }
        }
        for row in rows {
            let y = top + 1 + (row - rows.lowerBound) * rowHeight
            let labelStyle = row == selected ? theme.selection : Style.plain
            canvas.fill(x: x, y: y, width: labelWidth - 1, height: rowHeight, style: labelStyle)
            canvas.text(" " + labels[row], x: x, y: y + rowHeight / 2, style: labelStyle, maxWidth: labelWidth - 1)
            if marksTokens { for line in y..<(y + rowHeight) { canvas.markToken(row, x: x, y: line, width: labelWidth - 1) } }
            for key in columns {
                let cx = x + labelWidth + (key - columns.lowerBound) * cellWidth
                switch cell(row, key) {
                case .blank:
                    continue
                case .masked:
                    canvas.text("·", x: cx + (cellWidth - 1) / 2, y: y + rowHeight / 2, style: theme.muted)
                case .weight(let intensity, let label):
                    let ramp = theme.rampCell(intensity)
                    canvas.fill(x: cx, y: y, width: cellWidth, height: rowHeight, ramp.character, style: ramp.style)
                    if cellWidth >= 4, let label {
                        canvas.text(label, x: cx + (cellWidth - Canvas.columns(of: label)) / 2, y: y + rowHeight / 2,
                                    style: theme.rampLabel(intensity), maxWidth: cellWidth)
                    }
                }
            }
        }
    }

    // MARK: Two panels

    /// Columns of the row labels shared by two sides (5 to 12), so their columns line up.
    static func labelWidth(_ a: [TokenInfo], _ b: [TokenInfo]) -> Int {
        min(12, max(5, (a + b).map { Canvas.columns(of: $0.label) }.max() ?? 4) + 2)
    }

    /// The two panels of a side by side in `area`: beside each other with a rule between, or one
    /// above the other when only that shows all `count` tokens; `fixedRows` rows of a panel are
    /// not grid rows (titles, key labels, legend).
    static func panels(_ area: Rect, count: Int, labelWidth: Int, fixedRows: Int, _ theme: Theme, _ canvas: inout Canvas) -> (Rect, Rect) {
        let halfWidth = (area.width - 1) / 2
        let sideShowsAll = halfWidth - labelWidth >= count && area.height - fixedRows >= count
        let stackShowsAll = area.width - labelWidth >= count && area.height / 2 - fixedRows >= count
        if !sideShowsAll && stackShowsAll {
            let top = area.height / 2
            return (Rect(x: area.x, y: area.y, width: area.width, height: top),
                    Rect(x: area.x, y: area.y + top, width: area.width, height: area.height - top))
        }
        for y in area.y..<(area.y + area.height) { canvas.set(area.x + halfWidth, y, "│", theme.muted) }
        return (Rect(x: area.x, y: area.y, width: halfWidth, height: area.height),
                Rect(x: area.x + halfWidth + 1, y: area.y, width: area.width - halfWidth - 1, height: area.height))
    }

    /// A weight as the grids write it: two decimals without the leading zero (`.42`), or a whole
    /// number for pre-softmax scores.
    static func label(_ weight: Double, isScore: Bool = false) -> String {
        isScore ? String(format: "%.0f", weight) : String(format: "%.2f", weight).replacingOccurrences(of: "0.", with: ".")
    }
}
