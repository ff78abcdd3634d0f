// MARK: - Scrollable list

/// A vertical list with a selected item kept in view and a scroll bar (│ track, ┃ thumb) when the
/// items do not all fit.
public struct ScrollList: Widget {
    /// The items, one row each.
    public var items: [Span]
    /// The selected item (nil: none).
    public var selected: Int?
    /// The first item shown; `render` adjusts it so the selection is visible (see `offset(for:)`).
    public var offset: Int
    public var selectionStyle: Style
    public var scrollBarStyle: Style

    /// Creates a list.
    public init(items: [Span], selected: Int? = nil, offset: Int = 0, selectionStyle: Style = Style(reverse: true),
                scrollBarStyle: Style = .plain) {
        self.items = items
        self.selected = selected
        self.offset = offset
        self.selectionStyle = selectionStyle
        self.scrollBarStyle = scrollBarStyle
    }

    /// The first item to show in `rows` rows so that the selection is visible, starting from `offset`.
    public func offset(for rows: Int) -> Int {
        guard rows > 0 else { return 0 }
        var first = min(max(0, offset), max(0, items.count - rows))
        if let selected {
            if selected < first { first = selected }
            if selected >= first + rows { first = selected - rows + 1 }
        }
        return max(0, first)
    }

    /// Draws the list into `area`.
    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let first = offset(for: area.height)
        let needsBar = items.count > area.height && area.width > 1
        let textWidth = needsBar ? area.width - 1 : area.width
        for row in 0..<min(area.height, items.count - first) {
            let index = first + row
            var item = items[index]
            if index == selected {
                item.style = selectionStyle
                canvas.fill(x: area.x, y: area.y + row, width: textWidth, height: 1, style: selectionStyle)
            }
            StyledText([item]).render(in: Rect(x: area.x, y: area.y + row, width: textWidth, height: 1), on: &canvas)
        }
        guard needsBar else { return }
        let thumb = max(1, area.height * area.height / items.count)
        let top = (area.height - thumb) * first / max(1, items.count - area.height)
        for row in 0..<area.height {
            canvas.set(area.x + area.width - 1, area.y + row, row >= top && row < top + thumb ? "┃" : "│", scrollBarStyle)
        }
    }
}
