// MARK: - Modal help overlay

/// A framed box centred over the screen listing keys and what they do, with a title; when the
/// entries do not fit, it shows a window of them from `scroll` and says on its last row how many
/// are above and below.
public struct HelpOverlay: Widget {
    /// One line: the keys and their description (a nil key makes a section heading).
    public struct Entry: Sendable, Equatable {
        public var keys: String?
        public var text: String
        /// Creates an entry.
        public init(keys: String?, text: String) {
            self.keys = keys
            self.text = text
        }
    }

    public var title: String
    public var entries: [Entry]
    public var frameStyle: Style
    public var keyStyle: Style
    public var textStyle: Style
    public var headingStyle: Style
    /// The first entry shown when not all fit (clamped when drawn).
    public var scroll = 0

    /// Creates an overlay.
    public init(title: String, entries: [Entry], frameStyle: Style = .plain, keyStyle: Style = Style(bold: true),
                textStyle: Style = .plain, headingStyle: Style = Style(underline: true)) {
        self.title = title
        self.entries = entries
        self.frameStyle = frameStyle
        self.keyStyle = keyStyle
        self.textStyle = textStyle
        self.headingStyle = headingStyle
    }

    /// The box it takes inside `area`: as large as its content, at most the area.
    public func frame(in area: Rect) -> Rect {
        let keyWidth = entries.compactMap { $0.keys.map { Canvas.columns(of: $0) } }.max() ?? 0
        let textWidth = entries.map { Canvas.columns(of: $0.text) + ($0.keys == nil ? 0 : keyWidth + 2) }.max() ?? 0
        let width = min(area.width, max(textWidth, Canvas.columns(of: title) + 2) + 4)
        let height = min(area.height, entries.count + 4)
        return Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
    }

    /// Entries shown at once in `area` when they do not all fit (one row is kept for the
    /// "more" line), or all of them.
    public func visibleCount(in area: Rect) -> Int {
        let rows = max(0, frame(in: area).height - 4)
        return entries.count <= rows ? entries.count : max(1, rows - 1)
    }

    /// The largest useful `scroll` in `area` (0 when everything fits).
    public func maxScroll(in area: Rect) -> Int { max(0, entries.count - visibleCount(in: area)) }

    /// Draws the overlay centred in `area` (the cells beneath are covered).
    public func render(in area: Rect, on canvas: inout Canvas) {
        let box = frame(in: area)
        guard box.width >= 2, box.height >= 2 else { return }
        canvas.fill(x: box.x, y: box.y, width: box.width, height: box.height, style: textStyle)
        // Frame.
        let right = box.x + box.width - 1, bottom = box.y + box.height - 1
        for x in box.x...right {
            canvas.set(x, box.y, "─", frameStyle)
            canvas.set(x, bottom, "─", frameStyle)
        }
        for y in box.y...bottom {
            canvas.set(box.x, y, "│", frameStyle)
            canvas.set(right, y, "│", frameStyle)
        }
        canvas.set(box.x, box.y, "╭", frameStyle)
        canvas.set(right, box.y, "╮", frameStyle)
        canvas.set(box.x, bottom, "╰", frameStyle)
        canvas.set(right, bottom, "╯", frameStyle)
        if box.width > 4 { canvas.text(" \(title) ", x: box.x + 2, y: box.y, style: headingStyle, maxWidth: box.width - 4) }
        // Entries.
        let inner = box.inset(dx: 2, dy: 2)
        guard !inner.isEmpty else { return }
        let keyWidth = min(inner.width / 2, entries.compactMap { $0.keys.map { Canvas.columns(of: $0) } }.max() ?? 0)
        let fits = entries.count <= inner.height
        let shown = fits ? entries.count : max(0, inner.height - 1)
        let first = fits ? 0 : min(max(0, scroll), max(0, entries.count - shown))
        for (row, entry) in entries.dropFirst(first).prefix(shown).enumerated() {
            let y = inner.y + row
            if let keys = entry.keys {
                canvas.text(keys, x: inner.x, y: y, style: keyStyle, maxWidth: keyWidth)
                canvas.text(entry.text, x: inner.x + keyWidth + 2, y: y, style: textStyle, maxWidth: inner.width - keyWidth - 2)
            } else {
                canvas.text(entry.text, x: inner.x, y: y, style: headingStyle, maxWidth: inner.width)
            }
        }
        if !fits {
            let below = entries.count - first - shown
            let more = [first > 0 ? "↑ \(first) above" : nil, below > 0 ? "↓ \(below) below" : nil].compactMap { $0 }
            canvas.text("… " + more.joined(separator: " · ") + " (↑/↓ scroll)", x: inner.x, y: inner.y + shown, style: textStyle, maxWidth: inner.width)
        }
    }
}
