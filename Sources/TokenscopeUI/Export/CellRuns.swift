// MARK: - Cells resolved to colours and grouped into runs

/// An sRGB colour as exported (`#RRGGBB`).
public struct RGB: Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8

    /// A colour from its channels.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// A colour from 0xRRGGBB.
    public init(hex: UInt32) { self.init(UInt8(hex >> 16 & 0xFF), UInt8(hex >> 8 & 0xFF), UInt8(hex & 0xFF)) }

    /// `#rrggbb`.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + String([r >> 4, r & 15, g >> 4, g & 15, b >> 4, b & 15].map { digits[Int($0)] })
    }
}

/// How one cell looks once the terminal's defaults and reverse video are resolved.
struct ResolvedLook: Hashable {
    var foreground: RGB
    var background: RGB
    var bold: Bool
    var dim: Bool
    var underline: Bool
}

/// One horizontal run of cells on a row that share a look (and, for drawn glyphs, a kind).
struct CellRun {
    /// The row and first column.
    var row: Int
    var column: Int
    /// Columns the run covers (a wide character counts two).
    var width: Int
    /// The characters and the column each starts at.
    var characters: [(character: Character, column: Int)]
    var look: ResolvedLook
}

/// Resolves a canvas's cells against default colours and groups them into runs for exporters.
struct CellResolver {
    /// The colours `.default` stands for.
    let defaultForeground: RGB
    let defaultBackground: RGB

    init(theme: Theme) {
        defaultForeground = RGB(hex: theme.canvasColors.foreground)
        defaultBackground = RGB(hex: theme.canvasColors.background)
    }

    func rgb(_ color: Color, fallback: RGB) -> RGB { color.rgb.map { RGB($0.0, $0.1, $0.2) } ?? fallback }

    /// The look of a style: defaults filled in, reverse video applied.
    func look(_ style: Style) -> ResolvedLook {
        var foreground = rgb(style.foreground, fallback: defaultForeground)
        var background = rgb(style.background, fallback: defaultBackground)
        if style.reverse { swap(&foreground, &background) }
        return ResolvedLook(foreground: foreground, background: background, bold: style.bold, dim: style.dim, underline: style.underline)
    }

    /// Runs of equal background on each row (cells whose background is the canvas's are left out).
    func backgroundRuns(_ canvas: Canvas) -> [CellRun] {
        var runs: [CellRun] = []
        for y in 0..<canvas.height {
            var current: CellRun?
            for x in 0..<canvas.width {
                guard let cell = canvas[x, y] else { continue }
                let look = look(cell.style)
                if look.background == defaultBackground {
                    if let run = current { runs.append(run) }
                    current = nil
                    continue
                }
                if var run = current, run.look.background == look.background {
                    run.width += 1
                    current = run
                } else {
                    if let run = current { runs.append(run) }
                    current = CellRun(row: y, column: x, width: 1, characters: [], look: look)
                }
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }

    /// Runs of visible characters on each row: text runs (letters, digits, punctuation, drawn with
    /// a font) and glyph runs (block elements, shades and braille, drawn as shapes), split where
    /// the look changes. Blanks inside a text run stay in it; runs never start or end with one.
    func foregroundRuns(_ canvas: Canvas) -> (text: [CellRun], glyphs: [CellRun]) {
        var text: [CellRun] = [], glyphs: [CellRun] = []
        for y in 0..<canvas.height {
            var current: CellRun?
            var currentIsGlyph = false
            var pendingBlanks = 0
            func close() {
                if let run = current { if currentIsGlyph { glyphs.append(run) } else { text.append(run) } }
                current = nil
                pendingBlanks = 0
            }
            for x in 0..<canvas.width {
                guard let cell = canvas[x, y], let character = cell.character else { continue }
                let look = look(cell.style)
                if character == " " && !look.underline {
                    if current != nil { pendingBlanks += 1 }
                    continue
                }
                let glyph = BlockGlyphs.isGlyph(character)
                let width = Canvas.columns(of: character)
                if var run = current, currentIsGlyph == glyph, run.look == look, pendingBlanks == 0 || !glyph,
                    !glyph || BlockGlyphs.opacity(run.characters[run.characters.count - 1].character) == BlockGlyphs.opacity(character) {
                    if pendingBlanks > 0 {
                        for blank in 0..<pendingBlanks { run.characters.append((" ", run.column + run.width + blank)) }
                        run.width += pendingBlanks
                        pendingBlanks = 0
                    }
                    run.characters.append((character, x))
                    run.width = x + width - run.column
                    current = run
                } else {
                    close()
                    current = CellRun(row: y, column: x, width: width, characters: [(character, x)], look: look)
                    currentIsGlyph = glyph
                }
            }
            close()
        }
        return (text, glyphs)
    }
}

extension String {
    /// The text escaped for XML and HTML character data and attribute values; characters XML 1.0
    /// forbids (most C0 controls, lone surrogates cannot occur in Swift strings) become U+FFFD.
    var xmlEscaped: String {
        var out = ""
        out.reserveCapacity(count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
