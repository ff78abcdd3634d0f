import Testing
import TokenscopeUI

// MARK: - Canvas: wide characters, diffs, ANSI output

@Suite("Widgets: canvas")
struct WidgetCanvasTests {
    @Test func diffListsOnlyChangedCells() {
        var a = Canvas(width: 10, height: 3)
        a.text("hello", x: 0, y: 0)
        var b = a
        #expect(b.changes(since: a).isEmpty)
        b.text("J", x: 0, y: 0)
        b.set(9, 2, "x", Style(bold: true))
        let changes = b.changes(since: a)
        #expect(changes.map { [$0.x, $0.y] } == [[0, 0], [9, 2]])
        #expect(b.changes(since: nil).count == 30, "no previous frame: everything")
        #expect(b.changes(since: Canvas(width: 9, height: 3)).count == 30, "a resize: everything")
        // A style change alone is a change.
        var c = a
        c.set(1, 0, "e", Style(underline: true))
        #expect(c.changes(since: a).count == 1)
    }

    @Test func wideCharactersTakeTwoCellsAndNeverHangOffTheEdge() {
        var canvas = Canvas(width: 5, height: 1)
        let end = canvas.text("a世b", x: 0, y: 0)
        #expect(end == 4)
        #expect(canvas[1, 0]?.character == "世" && canvas[2, 0]?.character == nil)
        #expect(canvas.lines == ["a世b"])
        var edge = Canvas(width: 3, height: 1)
        edge.set(2, 0, "世", .plain)
        #expect(edge[2, 0]?.character == " ", "half a wide character is not drawn")
        #expect(Canvas.columns(of: "👍") == 2 && Canvas.columns(of: "é") == 1)
    }

    @Test func controlCharactersAreDrawnAsTheirPicturesNeverRaw() {
        // A raw ESC would reach the terminal and act; each control takes one cell as its picture.
        var canvas = Canvas(width: 9, height: 1)
        let end = canvas.text("a\u{1B}[\u{0}\u{7F}\u{85}\t\nz", x: 0, y: 0)
        #expect(end == 9)
        #expect(canvas.lines == ["a␛[␀␡⍰⇥↵z"])
        #expect(Canvas.controlPicture(of: "\u{1B}") == "␛" && Canvas.controlPicture(of: "\u{1F}") == "␟")
        #expect(Canvas.controlPicture(of: "a") == nil && Canvas.controlPicture(of: "\n") == nil && Canvas.controlPicture(of: "\u{A0}") == nil)
    }

    @Test func ansiTextCarriesColours() {
        var canvas = Canvas(width: 3, height: 1)
        canvas.text("ab", x: 0, y: 0, style: Style(foreground: .indexed(196), bold: true))
        canvas.set(2, 0, "c", Style(background: .rgb(1, 2, 3)))
        #expect(canvas.ansiText == "\u{1B}[0;1;38;5;196mab\u{1B}[0;48;2;1;2;3mc\u{1B}[0m\n")
    }

    @Test func drawingOutsideIsIgnored() {
        var canvas = Canvas(width: 2, height: 2)
        canvas.set(-1, 0, "x", .plain)
        canvas.set(0, 5, "x", .plain)
        canvas.text("far", x: 10, y: 0)
        canvas.fill(x: -5, y: -5, width: 100, height: 100, "#")
        #expect(canvas.lines == ["##", "##"])
        #expect(Canvas(width: -3, height: 0).cells.isEmpty)
    }
}
