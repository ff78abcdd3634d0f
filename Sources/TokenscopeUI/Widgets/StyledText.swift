// MARK: - Styled text

/// A run of text in one style.
public struct Span: Sendable, Equatable {
    /// The text.
    public var text: String
    /// Its style.
    public var style: Style

    /// Creates a span.
    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// Text made of styled spans, drawn into a rectangle: on one line, cut with … when it does not fit,
/// or wrapped at spaces over the area's rows (the last row cut with …). Aligned left, centred or right.
public struct StyledText: Widget {
    /// How lines sit in the area.
    public enum Alignment: Sendable { case left, center, right }

    /// The spans, in order.
    public var spans: [Span]
    /// Left, centred or right.
    public var alignment: Alignment
    /// Whether to wrap at spaces over several rows.
    public var wraps: Bool

    /// Creates styled text.
    public init(_ spans: [Span], alignment: Alignment = .left, wraps: Bool = false) {
        self.spans = spans
        self.alignment = alignment
        self.wraps = wraps
    }

    /// One span of plain text.
    public init(_ text: String, style: Style = .plain, alignment: Alignment = .left, wraps: Bool = false) {
        self.init([Span(text, style)], alignment: alignment, wraps: wraps)
    }

    /// A styled character.
    typealias Glyph = (character: Character, style: Style)

    /// The lines as glyphs, wrapped to `width` (newlines always break a line).
    func lines(width: Int) -> [[Glyph]] {
        var glyphs: [Glyph] = []
        for span in spans { for c in span.text { glyphs.append((c, span.style)) } }
        var paragraphs: [[Glyph]] = [[]]
        for g in glyphs {
            if g.character.isNewline { paragraphs.append([]) } else { paragraphs[paragraphs.count - 1].append(g) }
        }
        guard wraps, width > 0 else { return paragraphs }
        var out: [[Glyph]] = []
        for paragraph in paragraphs {
            var line: [Glyph] = [], used = 0
            var index = 0
            while index < paragraph.count {
                // The next word (with the spaces before it).
                var end = index
                while end < paragraph.count && paragraph[end].character == " " { end += 1 }
                while end < paragraph.count && paragraph[end].character != " " { end += 1 }
                let word = Array(paragraph[index..<end])
                let columns = word.reduce(0) { $0 + Canvas.columns(of: $1.character) }
                if used + columns <= width {
                    line += word
                    used += columns
                } else if columns > width || line.isEmpty {
                    // A word longer than the line is broken by characters.
                    for g in word.drop(while: { $0.character == " " && !line.isEmpty }) {
                        let w = Canvas.columns(of: g.character)
                        if used + w > width { out.append(line); line = []; used = 0 }
                        if line.isEmpty && g.character == " " { continue }
                        line.append(g)
                        used += w
                    }
                } else {
                    out.append(line)
                    line = Array(word.drop { $0.character == " " })
                    used = line.reduce(0) { $0 + Canvas.columns(of: $1.character) }
                }
                index = end
            }
            out.append(line)
        }
        return out
    }

    /// Draws the text into `area`.
    public func render(in area: Rect, on canvas: inout Canvas) {
        guard area.width > 0, area.height > 0 else { return }
        let all = lines(width: area.width)
        for (row, line) in all.prefix(area.height).enumerated() {
            let cut = row == area.height - 1 && all.count > area.height
            draw(line, y: area.y + row, in: area, cut: cut, on: &canvas)
        }
    }

    private func draw(_ line: [Glyph], y: Int, in area: Rect, cut: Bool, on canvas: inout Canvas) {
        let total = line.reduce(0) { $0 + Canvas.columns(of: $1.character) }
        let fits = total <= area.width && !cut
        let shown = fits ? total : area.width
        var x = area.x
        switch alignment {
        case .left: break
        case .center: x += (area.width - shown) / 2
        case .right: x += area.width - shown
        }
        var used = 0
        for g in line {
            let w = Canvas.columns(of: g.character)
            if !fits && used + w > area.width - 1 {
                canvas.set(x, y, "…", g.style)
                return
            }
            canvas.set(x, y, g.character, g.style)
            x += w
            used += w
        }
        if cut, let last = line.last { canvas.set(min(x, area.x + area.width - 1), y, "…", last.style) }
    }
}
