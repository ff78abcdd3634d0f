
#if canImport(FoundationXML)
import Foundation
import FoundationXML
import Testing
import TokenscopeTestSupport
#endif

// MARK: - render --format text|ansi|svg on the real model

/// `render --format svg` of each view at 120×40 is well-formed XML, reads back as the same text as
/// `--format text`, and shows the same colours as `--format ansi`, cell by cell.
@Suite("Export end to end (real model)", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct ExportEndToEndTests {
    /// One cell as the ANSI output or the SVG shows it.
    struct Look: Equatable, CustomStringConvertible {
        var foreground: String
        var background: String
        var description: String { "\(foreground) on \(background)" }
    }

    // MARK: Reading ANSI (an independent SGR interpreter with the xterm palette)

    static func xterm(_ index: Int) -> String {
        let basic = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                     (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
        let levels = [0, 95, 135, 175, 215, 255]
        let rgb: (Int, Int, Int)
        if index < 16 {
            rgb = basic[index]
        } else if index < 232 {
            let i = index - 16
            rgb = (levels[i / 36], levels[i / 6 % 6], levels[i % 6])
        } else {
            let v = 8 + 10 * (index - 232)
            rgb = (v, v, v)
        }
        return String(format: "#%02x%02x%02x", rgb.0, rgb.1, rgb.2)
    }

    /// The ANSI text as rows of (character, look); wide characters fill their second cell with nil.
    static func readANSI(_ text: String, foreground: String, background: String) -> [[(Character?, Look)]] {
        var rows: [[(Character?, Look)]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            var row: [(Character?, Look)] = []
            var fg: String?, bg: String?, reverse = false
            var rest = Substring(line)
            while let first = rest.first {
                if first == "\u{1B}", let m = rest.firstIndex(of: "m") {
                    let codes = rest[rest.index(rest.startIndex, offsetBy: 2)..<m].split(separator: ";").map { Int($0) ?? 0 }
                    var i = 0
                    while i < codes.count {
                        switch codes[i] {
                        case 0: fg = nil; bg = nil; reverse = false
                        case 7: reverse = true
                        case 38, 48:
                            let isForeground = codes[i] == 38
                            var value: String?
                            if i + 2 < codes.count, codes[i + 1] == 5 {
                                value = xterm(codes[i + 2])
                                i += 2
                            } else if i + 4 < codes.count, codes[i + 1] == 2 {
                                value = String(format: "#%02x%02x%02x", codes[i + 2], codes[i + 3], codes[i + 4])
                                i += 4
                            }
                            if isForeground { fg = value } else { bg = value }
                        default: break
                        }
                        i += 1
                    }
                    rest = rest[rest.index(after: m)...]
                    continue
                }
                var look = Look(foreground: fg ?? foreground, background: bg ?? background)
                if reverse { look = Look(foreground: look.background, background: look.foreground) }
                row.append((first, look))
                if wide(first) { row.append((nil, look)) }
                rest = rest.dropFirst()
            }
            rows.append(row)
        }
        return rows
    }

    static func wide(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
    }

    // MARK: Reading SVG

    final class Reader: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String], text: String)] = []
        var stack: [Int] = []
        var failed = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes, ""))
            stack.append(elements.count - 1)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if let i = stack.last { elements[i].text += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { failed = true }
    }

    /// The SVG's screen: characters, the background of every cell and the fill of every drawn one.
    struct SVGScreen {
        var characters: [[Character?]]
        var backgrounds: [[String]]
        var fills: [[String?]]
        var foreground: String
        var background: String
    }

    static func readSVG(_ svg: String) throws -> SVGScreen {
        let reader = Reader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        guard parser.parse(), !reader.failed else { throw TmuxError("the SVG is not well-formed XML") }
        let root = try #require(reader.elements.first { $0.name == "svg" })
        let columns = try #require(Int(root.attributes["data-columns"] ?? "")), rows = try #require(Int(root.attributes["data-rows"] ?? ""))
        let cw = try #require(Double(root.attributes["data-cell-width"] ?? "")), ch = try #require(Double(root.attributes["data-cell-height"] ?? ""))
        let foreground = root.attributes["data-foreground"] ?? "", background = root.attributes["data-background"] ?? ""
        var screen = SVGScreen(characters: Array(repeating: Array(repeating: " ", count: columns), count: rows),
                               backgrounds: Array(repeating: Array(repeating: background, count: columns), count: rows),
                               fills: Array(repeating: Array(repeating: nil, count: columns), count: rows), foreground: foreground, background: background)
        for element in reader.elements {
            let a = element.attributes
            switch element.name {
            case "rect" where a["data-row"] != nil:
                let x = Int((Double(a["x"] ?? "") ?? 0) / cw), y = Int((Double(a["y"] ?? "") ?? 0) / ch)
                let w = Int(((Double(a["width"] ?? "") ?? 0) / cw).rounded())
                for column in x..<min(columns, x + w) { screen.backgrounds[y][column] = a["fill"] ?? "" }
            case "text":
                let row = Int(a["data-row"] ?? "") ?? 0
                let xs = (a["x"] ?? "").split(separator: " ").compactMap { Double($0) }
                for (character, x) in zip(element.text, xs) {
                    let column = Int((x / cw).rounded())
                    screen.characters[row][column] = character
                    screen.fills[row][column] = a["fill"]
                    if wide(character) { screen.characters[row][column + 1] = nil }
                }
            case "path":
                let row = Int(a["data-row"] ?? "") ?? 0, start = Int(a["data-col"] ?? "") ?? 0
                for (offset, character) in (a["data-text"] ?? "").enumerated() {
                    screen.characters[row][start + offset] = character
                    screen.fills[row][start + offset] = a["fill"]
                }
            default: break
            }
        }
        return screen
    }

    // MARK: The test

    /// Renders the screen once and writes it in the three formats (one canvas: the forward view's
    /// timings are the same in all three).
    func render(_ binary: String, _ arguments: [String]) throws -> (text: String, ansi: String, svg: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-export-\(UUID().uuidString.prefix(8))").path
        defer { for ext in ["txt", "ans", "svg"] { try? FileManager.default.removeItem(atPath: base + "." + ext) } }
        let output = try ProcessRunner.run(binary, ["render", "--size", "120x40"] + arguments
            + ["--format", "text,ansi,svg", "--output", base, "The capital of France is"])
        guard output.status == 0 else { throw TmuxError("render \(arguments) failed: \(output.stderr)") }
        return (try String(contentsOfFile: base + ".txt", encoding: .utf8), try String(contentsOfFile: base + ".ans", encoding: .utf8),
                try String(contentsOfFile: base + ".svg", encoding: .utf8))
    }

    @Test(arguments: ["tokens", "sampling", "attention", "embeddings", "forward"])
    func svgMatchesTextAndANSI(view: String) throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        for theme in ["dark", "projector"] {
            let options = ["--view", view, "--theme", theme, "--keys", view == "sampling" ? "<Space><Space>" : ""]
            let (text, ansi, svgText) = try render(binary, options)
            let svg = try Self.readSVG(svgText)
            // The text read back from the SVG is the text output.
            let svgLines = svg.characters.map { row -> String in
                var line = String(row.compactMap { $0 })
                while line.hasSuffix(" ") { line.removeLast() }
                return line
            }
            #expect(svgLines.joined(separator: "\n") + "\n" == text, "\(view) \(theme): SVG text differs from --format text")
            // Colours, cell by cell.
            let cells = Self.readANSI(ansi, foreground: svg.foreground, background: svg.background)
            #expect(cells.count == 40)
            var compared = 0, mismatches: [String] = []
            for (y, row) in cells.enumerated() {
                for (x, (character, look)) in row.enumerated() where x < 120 {
                    compared += 1
                    if svg.backgrounds[y][x] != look.background { mismatches.append("(\(x),\(y)) background \(svg.backgrounds[y][x]) vs \(look)") }
                    if let character, character != " ", svg.fills[y][x] != look.foreground {
                        mismatches.append("(\(x),\(y)) '\(character)' fill \(svg.fills[y][x] ?? "none") vs \(look)")
                    }
                }
            }
            #expect(compared == 120 * 40, "\(view) \(theme): \(compared) cells in the ANSI output")
            #expect(mismatches.isEmpty, "\(view) \(theme): \(mismatches.count) cells differ, first: \(mismatches.prefix(3))")
        }
    }
}
