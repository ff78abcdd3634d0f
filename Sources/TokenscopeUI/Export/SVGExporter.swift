// MARK: - SVG export

/// A screen as an SVG picture, in the manner of a terminal screenshot tool: the background, one
/// `<rect>` per run of a background colour, one `<text>` per run of equally styled text (every
/// character placed on its own column, so wide characters and fonts cannot shift the grid), and one
/// `<path>` per run of block or braille glyphs drawn as shapes. Every run element carries
/// `data-row`, `data-col` and (glyphs) `data-text`, so the screen's text can be read back.
public struct SVGExporter: Sendable {
    /// Pixels per cell.
    public var cellWidth = 10.0
    public var cellHeight = 20.0
    /// The colours the terminal's defaults stand for.
    let resolver: CellResolver

    /// An exporter with the theme's canvas colours for the terminal's defaults.
    public init(theme: Theme) { resolver = CellResolver(theme: theme) }

    /// The SVG document.
    public func document(_ canvas: Canvas) -> String {
        let n = BlockGlyphs.number
        let width = Double(canvas.width) * cellWidth, height = Double(canvas.height) * cellHeight
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\""
        out += " data-columns=\"\(canvas.width)\" data-rows=\"\(canvas.height)\" data-cell-width=\"\(n(cellWidth))\" data-cell-height=\"\(n(cellHeight))\""
        out += " data-foreground=\"\(resolver.defaultForeground.hex)\" data-background=\"\(resolver.defaultBackground.hex)\">\n"
        out += "<rect class=\"screen\" x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"\(resolver.defaultBackground.hex)\"/>\n"
        out += "<g class=\"backgrounds\" shape-rendering=\"crispEdges\">\n"
        for run in resolver.backgroundRuns(canvas) {
            out += "<rect data-row=\"\(run.row)\" data-col=\"\(run.column)\" x=\"\(n(Double(run.column) * cellWidth))\" y=\"\(n(Double(run.row) * cellHeight))\""
            out += " width=\"\(n(Double(run.width) * cellWidth))\" height=\"\(n(cellHeight))\" fill=\"\(run.look.background.hex)\"/>\n"
        }
        out += "</g>\n"
        let (texts, glyphs) = resolver.foregroundRuns(canvas)
        out += "<g class=\"glyphs\" shape-rendering=\"crispEdges\">\n"
        for run in glyphs {
            var d = ""
            for (character, column) in run.characters {
                d += BlockGlyphs.path(character, x: Double(column) * cellWidth, y: Double(run.row) * cellHeight, cellWidth: cellWidth, cellHeight: cellHeight)
            }
            let text = String(run.characters.map(\.character))
            let opacity = run.characters.first.map { BlockGlyphs.opacity($0.character) } ?? 1
            out += "<path data-row=\"\(run.row)\" data-col=\"\(run.column)\" data-text=\"\(text.xmlEscaped)\" fill=\"\(run.look.foreground.hex)\""
            if run.look.dim || opacity < 1 { out += " fill-opacity=\"\(n(opacity * (run.look.dim ? 0.6 : 1)))\"" }
            out += " d=\"\(d)\"/>\n"
        }
        out += "</g>\n"
        let fontSize = cellHeight * 0.8
        out += "<g class=\"text\" font-family=\"'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace\" font-size=\"\(n(fontSize))\" xml:space=\"preserve\">\n"
        for run in texts {
            let xs = run.characters.map { n(Double($0.column) * cellWidth) }.joined(separator: " ")
            let baseline = Double(run.row) * cellHeight + cellHeight * 0.75
            out += "<text data-row=\"\(run.row)\" data-col=\"\(run.column)\" x=\"\(xs)\" y=\"\(n(baseline))\" fill=\"\(run.look.foreground.hex)\""
            if run.look.bold { out += " font-weight=\"bold\"" }
            if run.look.dim { out += " fill-opacity=\"0.6\"" }
            if run.look.underline { out += " text-decoration=\"underline\"" }
            out += ">" + String(run.characters.map(\.character)).xmlEscaped + "</text>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }
}
