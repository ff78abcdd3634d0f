import Foundation
import Testing
@testable import TokenscopeExplorer
@testable import TokenscopeUI

#if canImport(FoundationXML)
import FoundationXML
#endif

// MARK: - Screen export: SVG, HTML, text

/// Collects the elements of an SVG document with their attributes and text, and whether it parsed.
final class SVGReader: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }

    var elements: [Element] = []
    private var open: [Int] = []
    var error: String?

    /// Parses `svg`; nil when it is not well-formed XML.
    static func read(_ svg: String) -> SVGReader? {
        let reader = SVGReader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        guard parser.parse(), reader.error == nil else { return nil }
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = open.last { elements[last].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = "\(parseError)" }

    /// The screen's characters read back from the run elements: text runs place each character at
    /// its `x`, glyph runs theirs from `data-col` on; rows as lines with trailing blanks removed.
    func screenText() -> [String] {
        guard let svg = elements.first(where: { $0.name == "svg" }), let columns = Int(svg.attributes["data-columns"] ?? ""),
            let rows = Int(svg.attributes["data-rows"] ?? ""), let cellWidth = Double(svg.attributes["data-cell-width"] ?? "")
        else { return [] }
        var grid = Array(repeating: Array(repeating: Optional<Character>(" "), count: columns), count: rows)
        for element in elements {
            guard let row = Int(element.attributes["data-row"] ?? ""), row < rows else { continue }
            if element.name == "text" {
                let xs = (element.attributes["x"] ?? "").split(separator: " ").compactMap { Double($0) }
                for (character, x) in zip(element.text, xs) {
                    let column = Int((x / cellWidth).rounded())
                    guard column < columns else { continue }
                    grid[row][column] = character
                    if Canvas.columns(of: character) == 2, column + 1 < columns { grid[row][column + 1] = nil }
                }
            } else if element.name == "path", let start = Int(element.attributes["data-col"] ?? "") {
                for (offset, character) in (element.attributes["data-text"] ?? "").enumerated() where start + offset < columns {
                    grid[row][start + offset] = character
                }
            }
        }
        return grid.map { line in
            var text = String(line.compactMap { $0 })
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
    }
}

@Suite("Export")
struct ExportTests {
    /// A canvas with text in two styles, a wide character, half blocks, a shade and braille.
    static func sample() -> Canvas {
        var canvas = Canvas(width: 12, height: 3)
        canvas.text("ab", x: 0, y: 0, style: Style(foreground: .rgb(255, 0, 0), bold: true))
        canvas.text(" c<&>", x: 2, y: 0, style: Style(foreground: .rgb(255, 0, 0), bold: true))
        canvas.text("中x", x: 8, y: 0, style: .plain)
        canvas.set(0, 1, "▀", Style(foreground: .indexed(196), background: .indexed(21)))
        canvas.set(1, 1, "▀", Style(foreground: .indexed(196), background: .indexed(21)))
        canvas.set(2, 1, "▄", Style(foreground: .indexed(46)))
        canvas.set(3, 1, "░", .plain)
        canvas.set(4, 1, "⣿", Style(foreground: .rgb(1, 2, 3)))
        canvas.text("sel", x: 0, y: 2, style: Style(foreground: .rgb(0, 0, 128), background: .rgb(255, 215, 0), reverse: true))
        return canvas
    }

    @Test func svgIsWellFormedAndReadsBackAsTheText() throws {
        let canvas = Self.sample()
        let svg = SVGExporter(theme: .dark).document(canvas)
        let reader = try #require(SVGReader.read(svg), "the SVG is not well-formed XML")
        #expect(reader.screenText() == canvas.lines)
        #expect(svg.contains("c&lt;&amp;&gt;"))
    }

    @Test func oneElementPerRunOfEqualLook() throws {
        let reader = try #require(SVGReader.read(SVGExporter(theme: .dark).document(Self.sample())))
        let texts = reader.elements.filter { $0.name == "text" }
        // Row 0: "ab c<&>" in red bold is one run (the blank inside stays in it), "中x" plain another.
        #expect(texts.filter { $0.attributes["data-row"] == "0" }.map(\.text) == ["ab c<&>", "中x"])
        #expect(texts.first?.attributes["font-weight"] == "bold")
        // The wide character takes two columns: x goes 80, 100.
        #expect(texts.first { $0.text == "中x" }?.attributes["x"] == "80 100")
        // Row 1: the two ▀ share a run, ▄ (another colour) and ░ (another opacity) and ⣿ their own.
        let paths = reader.elements.filter { $0.name == "path" }
        #expect(paths.map { $0.attributes["data-text"] ?? "" } == ["▀▀", "▄", "░", "⣿"])
        // Half blocks are rectangles: ▀ fills the top half of its cell in the foreground colour.
        #expect(paths[0].attributes["d"]?.hasPrefix("M0 20h10v10h-10z") == true)
        #expect(paths[0].attributes["fill"] == "#ff0000")
        #expect(paths[1].attributes["d"] == "M20 30h10v10h-10z")
        #expect(paths[2].attributes["fill-opacity"] == "0.25")
        #expect(paths[3].attributes["d"]?.components(separatedBy: "a").count == 17, "eight braille dots, two arcs each")
        // Backgrounds: the ▀ cells' blue bottom, and the reversed selection's gold becomes text colour.
        let rects = reader.elements.filter { $0.name == "rect" && $0.attributes["data-row"] != nil }
        #expect(rects.map { $0.attributes["fill"] ?? "" } == ["#0000ff", "#000080"])
        #expect(rects.map { $0.attributes["width"] ?? "" } == ["20", "30"])
        #expect(texts.first { $0.text == "sel" }?.attributes["fill"] == "#ffd700", "reverse video swaps the colours")
    }

    @Test func lightThemesPaintEveryCellAndExportTheirBackground() throws {
        for name in [Theme.Name.light, .projector, .highContrast] {
            let theme = Theme(name, depth: .truecolor)
            var canvas = Canvas(width: 4, height: 1)
            canvas.text("ab", x: 0, y: 0)
            theme.paint(&canvas)
            for x in 0..<4 {
                #expect(canvas[x, 0]?.style.background != .default, "\(name) leaves cell \(x) to the terminal")
                #expect(canvas[x, 0]?.style.foreground != .default)
            }
            let svg = SVGExporter(theme: theme).document(canvas)
            let background = RGB(hex: theme.canvasColors.background).hex
            #expect(svg.contains("class=\"screen\" x=\"0\" y=\"0\" width=\"40\" height=\"20\" fill=\"\(background)\""))
        }
        var dark = Canvas(width: 2, height: 1)
        Theme(.dark, depth: .truecolor).paint(&dark)
        #expect(dark[0, 0]?.style == .plain, "the dark theme keeps the terminal's colours")
    }

    @Test func htmlKeepsTheTextAndColours() {
        let html = HTMLExporter(theme: .dark).document(Self.sample())
        #expect(html.contains("<span style=\"color:#ff0000;background:#000000;font-weight:bold\">ab c&lt;&amp;&gt;</span>"))
        #expect(html.contains("中x"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func formatsExportTheSameScreen() {
        let canvas = Self.sample()
        #expect(ExportFormat.text.export(canvas, theme: .dark) == canvas.plainText + "\n")
        #expect(ExportFormat.ansi.export(canvas, theme: .dark) == canvas.ansiText)
        #expect(ExportFormat.allCases.map(\.fileExtension) == ["txt", "ans", "svg", "html"])
    }

    @Test func controlCharactersNeverBreakTheXML() throws {
        var canvas = Canvas(width: 6, height: 1)
        canvas.text("a\u{01}b\u{1B}c", x: 0, y: 0)
        #expect(SVGReader.read(SVGExporter(theme: .dark).document(canvas)) != nil)
    }

    @Test func everyViewOfTheTinyModelExportsAsValidSVG() throws {
        for view in ViewKind.allCases {
            for name in Theme.Name.allCases {
                let explorer = try HeadlessExplorer(width: 100, height: 30)
                explorer.send(.setup({ var s = Setup(); s.view = view; return s }()))
                let theme = Theme(name, depth: .truecolor)
                let canvas = explorer.render(theme: theme)
                let reader = try #require(SVGReader.read(SVGExporter(theme: theme).document(canvas)), "\(view) in \(name)")
                #expect(reader.screenText() == canvas.lines, "\(view) in \(name)")
            }
        }
    }
}
