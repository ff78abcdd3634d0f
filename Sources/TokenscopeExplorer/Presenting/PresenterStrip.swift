import TokenscopeUI
// MARK: - The presenter strip

/// What a demo shows over the footer while a script plays: the step number and title with the
/// presenter keys, and (when shown) the step's speaker notes on the rows above.
public struct PresenterStrip: Sendable {
    public var script: DemoScript
    public var index: Int
    public var showNotes: Bool

    /// A strip for step `index` of `script`.
    public init(script: DemoScript, index: Int, showNotes: Bool) {
        self.script = script
        self.index = index
        self.showNotes = showNotes
    }

    /// Rows the notes take at most.
    public static let maxNoteRows = 3

    /// Draws the strip on the footer's two rows and the notes above them.
    public func render(on canvas: inout Canvas, theme: Theme) {
        guard canvas.height >= AppState.minimumSize.height, canvas.width >= AppState.minimumSize.width, index < script.steps.count else { return }
        let step = script.steps[index]
        let y = canvas.height - 2
        canvas.fill(x: 0, y: y, width: canvas.width, height: 1, style: theme.header)
        let keys = " Space/PgDn next · PgUp back · N notes "
        let title = " ▶ step \(index + 1)/\(script.steps.count) · \(step.title)"
        canvas.text(title, x: 0, y: y, style: theme.header, maxWidth: max(1, canvas.width - Canvas.columns(of: keys)))
        if canvas.width - Canvas.columns(of: title) > Canvas.columns(of: keys) {
            canvas.text(keys, x: canvas.width - Canvas.columns(of: keys), y: y, style: theme.header)
        }
        guard showNotes, !step.notes.isEmpty else { return }
        let lines = wrap(step.notes.joined(separator: " "), width: canvas.width - 4).prefix(Self.maxNoteRows)
        let top = y - lines.count
        canvas.fill(x: 0, y: top, width: canvas.width, height: lines.count, style: theme.footer)
        for (offset, line) in lines.enumerated() {
            canvas.text("  " + line, x: 0, y: top + offset, style: theme.footer, maxWidth: canvas.width)
        }
    }

    /// `text` broken into lines of at most `width` columns at spaces.
    func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, Canvas.columns(of: line) + 1 + Canvas.columns(of: String(word)) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
