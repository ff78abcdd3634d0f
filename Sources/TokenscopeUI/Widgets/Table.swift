// MARK: - Table

/// Rows of cells under a header, in columns with fixed or flexible widths and their own alignment.
/// Cells that do not fit are cut with …; columns that do not fit at all are dropped from the right.
public struct Table: Widget {
    /// One column.
    public struct Column: Sendable, Equatable {
        /// The header text.
        public var title: String
        /// Columns of width (nil: the widest cell or title; the last flexible column takes what is left).
        public var width: Int?
        /// Cell alignment.
        public var alignment: StyledText.Alignment

        /// Creates a column.
        public init(_ title: String, width: Int? = nil, alignment: StyledText.Alignment = .left) {
            self.title = title
            self.width = width
            self.alignment = alignment
        }
    }

    /// The columns.
    public var columns: [Column]
    /// The rows: one span per column (missing cells are blank).
    public var rows: [[Span]]
    /// The header's style (no header row when nil).
    public var headerStyle: Style?
    /// The highlighted row (drawn in `selectionStyle`).
    public var selected: Int?
    public var selectionStyle: Style
    /// The first row shown (for scrolling).
    public var offset: Int

    /// Creates a table.
    public init(columns: [Column], rows: [[Span]], headerStyle: Style? = .plain, selected: Int? = nil,
                selectionStyle: Style = Style(reverse: true), offset: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.headerStyle = headerStyle
        self.selected = selected
        self.selectionStyle = selectionStyle
        self.offset = offset
    }

    /// The widths of the columns in `width` columns (a blank column between two), dropping those that
    /// do not fit.
    public func columnWidths(in width: Int) -> [Int] {
        var natural = columns.enumerated().map { index, column in
            column.width ?? max(Canvas.columns(of: column.title), rows.map { index < $0.count ? Canvas.columns(of: $0[index].text) : 0 }.max() ?? 0)
        }
        var widths: [Int] = []
        var used = 0
        for (index, w) in natural.enumerated() {
            let gap = widths.isEmpty ? 0 : 1
            let left = width - used - gap
            guard left > 0 else { break }
            let flexible = columns[index].width == nil
            widths.append(min(w, left))
            if flexible && index == columns.count - 1 { widths[widths.count - 1] = left }
            used += gap + widths[widths.count - 1]
        }
        natural.removeAll()
        return widths
    }

    /// Draws the table into `area`.
    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let widths = columnWidths(in: area.width)
        var y = area.y
        if let headerStyle {
            canvas.fill(x: area.x, y: y, width: area.width, height: 1, style: headerStyle)
            drawRow(columns.map { Span($0.title, headerStyle) }, widths: widths, y: y, x: area.x, on: &canvas)
            y += 1
        }
        let visible = max(0, area.y + area.height - y)
        for (index, row) in rows.enumerated().dropFirst(max(0, offset)).prefix(visible) {
            var cells = row
            if index == selected {
                canvas.fill(x: area.x, y: y, width: area.width, height: 1, style: selectionStyle)
                cells = row.map { Span($0.text, selectionStyle) }
            }
            drawRow(cells, widths: widths, y: y, x: area.x, on: &canvas)
            y += 1
        }
    }

    private func drawRow(_ cells: [Span], widths: [Int], y: Int, x: Int, on canvas: inout Canvas) {
        var column = x
        for (index, width) in widths.enumerated() {
            if index < cells.count {
                StyledText([cells[index]], alignment: columns[index].alignment)
                    .render(in: Rect(x: column, y: y, width: width, height: 1), on: &canvas)
            }
            column += width + 1
        }
    }
}
