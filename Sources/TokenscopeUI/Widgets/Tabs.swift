// MARK: - Tabs

/// A row of tab titles (` 1 Tokens `), the selected one highlighted. When they do not all fit, the
/// titles shrink to their numbers, keeping the selected one whole.
public struct Tabs: Widget {
    /// The titles, in order.
    public var titles: [String]
    /// The selected tab.
    public var selected: Int
    /// Styles of the selected and the other tabs.
    public var selectedStyle: Style
    public var style: Style

    /// Creates a tab row.
    public init(titles: [String], selected: Int, selectedStyle: Style = Style(reverse: true), style: Style = .plain) {
        self.titles = titles
        self.selected = selected
        self.selectedStyle = selectedStyle
        self.style = style
    }

    /// The labels as drawn in `width` columns: full (` 1 Tokens `) when they fit, numbers otherwise.
    public func labels(width: Int) -> [String] {
        let full = titles.enumerated().map { " \($0.offset + 1) \($0.element) " }
        if full.reduce(0, { $0 + Canvas.columns(of: $1) + 1 }) <= width + 1 { return full }
        return full.enumerated().map { $0.offset == selected ? $0.element : " \($0.offset + 1) " }
    }

    /// The column ranges of the drawn tabs (for mouse clicks), relative to the area.
    public func spans(width: Int) -> [Range<Int>] {
        var x = 0
        return labels(width: width).map { label in
            defer { x += Canvas.columns(of: label) + 1 }
            return x..<(x + Canvas.columns(of: label))
        }
    }

    /// Draws the tabs on the first row of `area` and marks each as a click target (`HitTarget.tab`).
    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        var x = area.x
        for (index, label) in labels(width: area.width).enumerated() {
            let left = area.x + area.width - x
            guard left > 0 else { break }
            let end = canvas.text(label, x: x, y: area.y, style: index == selected ? selectedStyle : style, maxWidth: left)
            canvas.markTab(index, x: x, y: area.y, width: end - x)
            x = end + 1
        }
    }

    /// The column after the last tab when drawn in `area`.
    public func endColumn(in area: Rect) -> Int {
        guard !area.isEmpty else { return area.x }
        return min(area.x + area.width, area.x + (spans(width: area.width).last?.upperBound ?? 0) + 1)
    }
}
