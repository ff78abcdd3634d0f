// MARK: - The cell grid

/// One terminal cell: a character and its style. A double-width character occupies its cell and
/// marks the next one as a continuation (character `nil`).
public struct Cell: Hashable, Sendable {
    /// The character shown, or nil for the right half of a wide character.
    public var character: Character?
    /// Its style.
    public var style: Style

    /// A blank cell.
    public static let blank = Cell(character: " ", style: .plain)
}

/// An in-memory grid of cells that views render into; diffed against the previous frame so the
/// terminal receives only changes, and printable as text for snapshot tests.
public struct Canvas: Sendable, Equatable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major cells.
    public private(set) var cells: [Cell]  // (height, width)
    /// What a click on each cell hits, encoded (`-1` none, `n >= 0` the token at sequence position
    /// n, `-2 - i` tab i), so a click is resolved against what is on screen whatever drew it; empty
    /// until something is marked.
    public private(set) var targets: [Int32] = []  // (height, width)

    /// A blank canvas.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at (x, y), or nil outside the canvas.
    public subscript(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// Columns a character takes on a terminal: 2 for East Asian wide characters and most emoji.
    public static func columns(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 1 }
        let v = scalar.value
        if v < 0x1100 { return 1 }
        if scalar.properties.isEmojiPresentation || character.unicodeScalars.count > 1 && scalar.properties.isEmoji && v > 0x2000 { return 2 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
             0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// Columns `text` takes.
    public static func columns(of text: String) -> Int { text.reduce(0) { $0 + columns(of: $1) } }

    /// How a control character is drawn: its Unicode control picture (U+2400 + code for C0, so ESC
    /// is ␛; ␡ for DEL; ⍰ for the C1 controls U+0080–U+009F, which have no pictures); nil for
    /// everything else, tabs and newlines included (callers that show those choose ⇥ and ↵).
    public static func controlPicture(of scalar: Unicode.Scalar) -> Character? {
        switch scalar.value {
        case 0x09, 0x0A: return nil
        case 0x00..<0x20: return Unicode.Scalar(0x2400 + scalar.value).map(Character.init)
        case 0x7F: return "␡"
        case 0x80...0x9F: return "⍰"
        default: return nil
        }
    }

    /// Sets one cell (and its continuation for a wide character); ignored outside the canvas. A
    /// control character is drawn as its picture (a terminal would act on it, or draw it in two
    /// cells, and the screen would no longer match the canvas).
    public mutating func set(_ x: Int, _ y: Int, _ character: Character, _ style: Style) {
        guard y >= 0, y < height, x >= 0, x < width else { return }
        if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
            set(x, y, Self.controlPicture(of: scalar) ?? (scalar == "\t" ? "⇥" : "↵"), style)
            return
        }
        let wide = Self.columns(of: character) == 2
        // Whatever is drawn over a marked token (an overlay) is no longer that token.
        if !targets.isEmpty {
            targets[y * width + x] = -1
            if wide && x + 1 < width { targets[y * width + x + 1] = -1 }
        }
        if wide && x + 1 >= width {
            cells[y * width + x] = Cell(character: " ", style: style)
            return
        }
        cells[y * width + x] = Cell(character: character, style: style)
        if wide { cells[y * width + x + 1] = Cell(character: nil, style: style) }
    }

    /// Changes the style of every cell (click targets stay): a theme painting its base colours.
    public mutating func restyle(_ transform: (Style) -> Style) {
        for index in cells.indices { cells[index].style = transform(cells[index].style) }
    }

    // MARK: Click targets

    /// Marks `width` cells from (x, y) as showing the token at sequence position `index`.
    public mutating func markToken(_ index: Int, x: Int, y: Int, width w: Int) {
        guard index >= 0, index <= Int(Int32.max) else { return }
        mark(Int32(index), x: x, y: y, width: w)
    }

    /// Marks `width` cells from (x, y) as the tab at `index` (a click there switches to it).
    public mutating func markTab(_ index: Int, x: Int, y: Int, width w: Int) {
        guard index >= 0, index < Int(Int32.max) - 2 else { return }
        mark(-2 - Int32(index), x: x, y: y, width: w)
    }

    /// What a click at (x, y) hits, if anything was marked there.
    public func target(atX x: Int, y: Int) -> HitTarget? {
        guard x >= 0, y >= 0, x < width, y < height, !targets.isEmpty else { return nil }
        let code = targets[y * width + x]
        if code >= 0 { return .token(Int(code)) }
        if code <= -2 { return .tab(Int(-2 - code)) }
        return nil
    }

    /// The sequence position of the token shown at (x, y), if one was marked there.
    public func token(atX x: Int, y: Int) -> Int? {
        if case .token(let index) = target(atX: x, y: y) { return index }
        return nil
    }

    private mutating func mark(_ code: Int32, x: Int, y: Int, width w: Int) {
        guard y >= 0, y < height else { return }
        if targets.isEmpty { targets = Array(repeating: -1, count: width * height) }
        for column in max(0, x)..<max(max(0, x), min(width, x + w)) { targets[y * width + column] = code }
    }

    /// Writes `text` from (x, y), clipped to `maxWidth` columns (ending in … when cut); returns the
    /// column after the last character written.
    @discardableResult
    public mutating func text(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0 else { return x }
        let total = Self.columns(of: text)
        var column = x
        var used = 0
        for character in text {
            let w = Self.columns(of: character)
            if total > limit && used + w > limit - 1 {
                set(column, y, "…", style)
                return column + 1
            }
            if used + w > limit { break }
            set(column, y, character, style)
            column += w
            used += w
        }
        return column
    }

    /// Fills a rectangle with `character` in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ character: Character = " ", style: Style = .plain) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { set(column, row, character, style) }
        }
    }

    /// The cells that differ from `previous` (everything when the sizes differ), as (x, y, cell).
    public func changes(since previous: Canvas?) -> [(x: Int, y: Int, cell: Cell)] {
        var out: [(x: Int, y: Int, cell: Cell)] = []
        let sameSize = previous?.width == width && previous?.height == height
        for y in 0..<height {
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !sameSize || previous?.cells[y * width + x] != cell { out.append((x, y, cell)) }
            }
        }
        return out
    }

    /// The characters as lines of text (continuations omitted), for snapshots and headless output.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { if let c = cells[y * width + x].character { line.append(c) } }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// The whole canvas as text, one line per row.
    public var plainText: String { lines.joined(separator: "\n") }

    /// The canvas with ANSI escape codes for colours and attributes.
    public var ansiText: String {
        var out = ""
        for y in 0..<height {
            var current: Style?
            for x in 0..<width {
                let cell = cells[y * width + x]
                guard let character = cell.character else { continue }
                if cell.style != current {
                    out += Self.escape(cell.style)
                    current = cell.style
                }
                out.append(character)
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }

    static func escape(_ style: Style) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        switch style.foreground {
        case .default: break
        case .indexed(let i): codes.append("38;5;\(i)")
        case .rgb(let r, let g, let b): codes.append("38;2;\(r);\(g);\(b)")
        }
        switch style.background {
        case .default: break
        case .indexed(let i): codes.append("48;5;\(i)")
        case .rgb(let r, let g, let b): codes.append("48;2;\(r);\(g);\(b)")
        }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
