// MARK: - Frames as a terminal byte stream

/// Turns successive canvases into the escape sequences a terminal needs to show them: the first
/// frame (or one of a new size) clears the screen and draws every cell, later ones only the cells
/// that changed — each run placed with a cursor move, styles with SGR codes. Used for recordings,
/// which then replay in any terminal or terminal model (asciinema, pyte) to the same screen.
public struct FrameEncoder: Sendable {
    private var previous: Canvas?

    /// An encoder that has drawn nothing yet.
    public init() {}

    /// The bytes that turn the screen showing the previous frame into `canvas`.
    public mutating func encode(_ canvas: Canvas) -> String {
        var out = ""
        let fresh = previous?.width != canvas.width || previous?.height != canvas.height
        if fresh { out += "\u{1B}[0m\u{1B}[?25l\u{1B}[H\u{1B}[2J" }
        var current: Style?
        for y in 0..<canvas.height {
            var cursor = -1  // the column the terminal's cursor is at on this row, -1 unknown
            for x in 0..<canvas.width {
                guard let cell = canvas[x, y] else { continue }
                if !fresh, let previous, previous[x, y] == cell { continue }
                // The right half of a wide character is drawn with its left half.
                guard let character = cell.character else { continue }
                if cursor != x { out += "\u{1B}[\(y + 1);\(x + 1)H" }
                if cell.style != current {
                    out += Canvas.escape(cell.style)
                    current = cell.style
                }
                out.append(character)
                // After a wide character, place the next one explicitly: terminals may disagree
                // on the width of some emoji.
                cursor = Canvas.columns(of: character) == 1 ? x + 1 : -1
            }
        }
        if !out.isEmpty { out += "\u{1B}[0m" }
        previous = canvas
        return out
    }
}
