import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeUI

// MARK: - Snapshot assertions

/// Compares a canvas with recorded text snapshots in `Tests/TokenscopeExplorerTests/Snapshots/`:
/// `<name>.txt` holds the characters, `<name>.style.txt` a style mask (one letter per cell naming a
/// style, `.` for the plain style) followed by a legend that spells each style out.
///
/// Set `TOKENSCOPE_RECORD_SNAPSHOTS=1` to (re)write the files. Without it a missing snapshot is a
/// failure, never a silent pass.
enum Snapshot {
    /// Whether this run records snapshots instead of comparing.
    static var isRecording: Bool { ProcessInfo.processInfo.environment["TOKENSCOPE_RECORD_SNAPSHOTS"] == "1" }

    /// The snapshot folder, found from this file's path (so recording writes into the source tree).
    static func directory(filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    /// The characters of `canvas`, one line per row, trailing spaces trimmed, plus a final newline.
    static func text(of canvas: Canvas) -> String { canvas.plainText + "\n" }

    /// The style mask of `canvas`: a letter per cell (continuations of wide characters repeat the
    /// letter), then a legend `A = fg … bg … bold` for each style in order of first appearance.
    static func styleMask(of canvas: Canvas) -> String {
        var letters: [Style: Character] = [.plain: "."]
        var legend: [String] = []
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var rows: [String] = []
        for y in 0..<canvas.height {
            var row = ""
            for x in 0..<canvas.width {
                guard let cell = canvas[x, y] else { continue }
                if letters[cell.style] == nil {
                    let index = letters.count - 1
                    let letter = index < alphabet.count ? alphabet[index] : "?"
                    letters[cell.style] = letter
                    legend.append("\(letter) = \(describe(cell.style))")
                }
                row.append(letters[cell.style] ?? "?")
            }
            while row.hasSuffix(".") { row.removeLast() }
            rows.append(row)
        }
        return (rows + ["--"] + legend).joined(separator: "\n") + "\n"
    }

    /// A style in words: `fg 231 bg 24 bold`.
    static func describe(_ style: Style) -> String {
        func color(_ c: Color) -> String {
            switch c {
            case .default: "default"
            case .indexed(let i): "\(i)"
            case .rgb(let r, let g, let b): "#" + [r, g, b].map { String(format: "%02x", $0) }.joined()
            }
        }
        var parts = ["fg \(color(style.foreground))", "bg \(color(style.background))"]
        if style.bold { parts.append("bold") }
        if style.dim { parts.append("dim") }
        if style.reverse { parts.append("reverse") }
        if style.underline { parts.append("underline") }
        return parts.joined(separator: " ")
    }
}

/// Asserts that `canvas` matches the recorded snapshot `name` (text and, unless `styles` is false,
/// the style mask). Records instead when `TOKENSCOPE_RECORD_SNAPSHOTS=1`.
func assertSnapshot(
    _ canvas: Canvas, named name: String, styles: Bool = true, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var files = [("\(name).txt", Snapshot.text(of: canvas))]
    if styles { files.append(("\(name).style.txt", Snapshot.styleMask(of: canvas))) }
    let directory = Snapshot.directory(filePath: filePath)
    for (file, actual) in files {
        let url = directory.appendingPathComponent(file)
        if Snapshot.isRecording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not record snapshot \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            continue
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "no snapshot at \(url.path); run with TOKENSCOPE_RECORD_SNAPSHOTS=1 to record it. Actual:\n\(actual)",
                sourceLocation: sourceLocation)
            continue
        }
        if expected != actual {
            Issue.record("snapshot \(file) differs:\n\(difference(expected: expected, actual: actual))", sourceLocation: sourceLocation)
        }
    }
}

/// The lines that differ, marked `-` expected and `+` actual, with line numbers.
func difference(expected: String, actual: String) -> String {
    let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
    var out: [String] = []
    for i in 0..<max(e.count, a.count) {
        let left = i < e.count ? e[i] : "⟨missing⟩", right = i < a.count ? a[i] : "⟨missing⟩"
        if left != right {
            out.append(String(format: "%3d - ", i + 1) + left)
            out.append(String(format: "%3d + ", i + 1) + right)
        }
    }
    return out.prefix(40).joined(separator: "\n")
}

// MARK: - The helper's own checks

@Suite("Snapshot helper")
struct SnapshotHelperTests {
    @Test func styleMaskNamesEveryStyleOnce() {
        var canvas = Canvas(width: 6, height: 2)
        canvas.text("ab", x: 0, y: 0, style: Style(foreground: .indexed(1), bold: true))
        canvas.text("世", x: 3, y: 1, style: Style(background: .rgb(1, 2, 255)))
        #expect(Snapshot.text(of: canvas) == "ab\n   世\n")
        #expect(Snapshot.styleMask(of: canvas) == "AA\n...BB\n--\nA = fg 1 bg default bold\nB = fg default bg #0102ff\n")
    }

    @Test func differenceShowsBothSides() {
        #expect(difference(expected: "a\nb", actual: "a\nc") == "  2 - b\n  2 + c")
    }
}
