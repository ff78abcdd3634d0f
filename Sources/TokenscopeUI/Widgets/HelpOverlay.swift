// MARK: - Modal help overlay

/// A framed box centred over the screen listing keys and what they do, with a title; when the
/// entries do not fit, they are split into pages (`scroll` is the page shown) and the last row
/// says which page is next and which keys it lists.
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
    /// The page shown when not all entries fit (clamped when drawn).
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

    /// The box's width inside `area`: as wide as its content, at most the area.
    func width(in area: Rect) -> Int {
        let keyWidth = entries.compactMap { $0.keys.map { Canvas.columns(of: $0) } }.max() ?? 0
        let textWidth = entries.map { Canvas.columns(of: $0.text) + ($0.keys == nil ? 0 : keyWidth + 2) }.max() ?? 0
        // Pages need room for the line naming the next page's keys.
        let paged = entries.count > area.height - 4
        return min(area.width, max(textWidth, Canvas.columns(of: title) + 2, paged ? 44 : 0) + 4)
    }

    /// Columns of the key column in a box `width` wide.
    func keyWidth(boxWidth width: Int) -> Int {
        min(max(0, width - 4) / 2, entries.compactMap { $0.keys.map { Canvas.columns(of: $0) } }.max() ?? 0)
    }

    /// Each entry as the rows it takes in a box `width` wide: a text longer than its column goes
    /// on in rows with an empty key, cut between words.
    func rows(boxWidth width: Int) -> [[Entry]] {
        let keyColumns = keyWidth(boxWidth: width)
        let room = max(8, width - 4 - keyColumns - 2)
        return entries.map { entry in
            guard let keys = entry.keys, Canvas.columns(of: entry.text) > room else { return [entry] }
            var lines: [String] = []
            var line = ""
            for word in entry.text.split(separator: " ") {
                if !line.isEmpty && Canvas.columns(of: line) + 1 + Canvas.columns(of: String(word)) > room {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            if !line.isEmpty { lines.append(line) }
            return lines.enumerated().map { Entry(keys: $0.offset == 0 ? keys : "", text: $0.element) }
        }
    }

    /// The box it takes inside `area`: as large as its content, at most the area.
    public func frame(in area: Rect) -> Rect {
        let width = width(in: area)
        let height = min(area.height, rows(boxWidth: width).reduce(0) { $0 + $1.count } + 4)
        return Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
    }

    /// The rows on each page: one page when they all fit in `area`; otherwise pages of the rows
    /// the full-height box holds (one row kept for the line saying what the other pages hold).
    /// An entry's rows stay on one page, a page never ends on a heading, and a section that goes
    /// on over a break repeats its heading, marked "(continued)".
    public func pages(in area: Rect) -> [[Entry]] {
        let box = frame(in: area)
        let units = rows(boxWidth: box.width)
        let count = units.reduce(0) { $0 + $1.count }
        guard count > box.height - 4 else { return [units.flatMap { $0 }] }
        let rows = max(2, box.height - 3)
        var pages: [[Entry]] = []
        var page: [Entry] = []
        var heading: Entry?
        for unit in units {
            let isHeading = unit.first?.keys == nil
            if !page.isEmpty && (page.count + unit.count > rows || (isHeading && page.count + unit.count >= rows)) {
                pages.append(page)
                page = []
                if !isHeading, let heading { page.append(Entry(keys: nil, text: heading.text + " (continued)")) }
            }
            if isHeading { heading = unit.first }
            page += unit
        }
        if !page.isEmpty { pages.append(page) }
        return pages
    }

    /// The largest useful page index `scroll` in `area` (0 when everything fits).
    public func maxScroll(in area: Rect) -> Int { max(0, pages(in: area).count - 1) }

    /// Draws the overlay centred in `area` (the cells beneath are covered): the page `scroll`
    /// when the entries take several, with a last line naming what the next page holds.
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
        // Entries: all of them with a blank row above and below, or one page using every row.
        let pages = pages(in: area)
        let paged = pages.count > 1
        let inner = box.inset(dx: 2, dy: paged ? 1 : 2)
        guard !inner.isEmpty else { return }
        let keyColumns = keyWidth(boxWidth: box.width)
        let index = min(max(0, scroll), pages.count - 1)
        for (row, entry) in pages[index].prefix(paged ? inner.height - 1 : inner.height).enumerated() {
            let y = inner.y + row
            if let keys = entry.keys {
                canvas.text(keys, x: inner.x, y: y, style: keyStyle, maxWidth: keyColumns)
                canvas.text(entry.text, x: inner.x + keyColumns + 2, y: y, style: textStyle, maxWidth: inner.width - keyColumns - 2)
            } else {
                canvas.text(entry.text, x: inner.x, y: y, style: headingStyle, maxWidth: inner.width)
            }
        }
        guard paged else { return }
        let line = Self.pageLine(pages, index: index, width: inner.width)
        canvas.text(line, x: inner.x, y: inner.y + inner.height - 1, style: headingStyle, maxWidth: inner.width)
    }

    /// "↓ page 2 of 2: Everywhere (continued): q, C-c" — where the reader is and what the next
    /// page (or, on the last, the page before) holds, its keys listed while they fit in `width`.
    static func pageLine(_ pages: [[Entry]], index: Int, width: Int) -> String {
        let last = index == pages.count - 1
        let other = last ? index - 1 : index + 1
        var line = "\(last ? "↑" : "↓") page \(other + 1) of \(pages.count): "
        let sections = pages[other].filter { $0.keys == nil }.map(\.text)
        if !sections.isEmpty { line += sections.joined(separator: ", ") + " — " }
        let keys = pages[other].compactMap(\.keys).filter { !$0.isEmpty }
        for (offset, key) in keys.enumerated() {
            let rest = offset == keys.count - 1 ? "" : ", …"
            guard Canvas.columns(of: line + key + rest) <= width else {
                line += "…"
                break
            }
            line += key + (offset == keys.count - 1 ? "" : ", ")
        }
        return line
    }
}
