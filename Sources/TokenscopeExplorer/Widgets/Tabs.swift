// MARK: - Tabs

/// A row of tab titles (` 1 Tokens `), the selected one highlighted. When they do not all fit, the
/// titles shrink to their numbers, keeping the selected one whole.
public struct Tabs: Sendable {
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

    /// Draws the tabs on the first row of `area`; returns the column after the last tab.
    @discardableResult
    public func render(in area: Rect, on canvas: inout Canvas) -> Int {
        guard !area.isEmpty else { return area.x }
        var x = area.x
        for (index, label) in labels(width: area.width).enumerated() {
            let left = area.x + area.width - x
            guard left > 0 else { break }
            x = canvas.text(label, x: x, y: area.y, style: index == selected ? selectedStyle : style, maxWidth: left) + 1
        }
        return min(x, area.x + area.width)
    }
}
