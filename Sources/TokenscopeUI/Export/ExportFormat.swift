// MARK: - Screen export formats

/// The forms a screen can be saved or printed in: plain text, text with ANSI colours, an SVG
/// picture (for slides) and an HTML page.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// The characters only, one line per row, trailing blanks removed.
    case text
    /// The characters with ANSI escape codes for colours and attributes.
    case ansi
    /// A scalable picture: backgrounds, text runs and block/braille graphics as vector shapes.
    case svg
    /// A standalone page: a `<pre>` of coloured spans.
    case html

    /// The file name extension.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .ansi: "ans"
        case .svg: "svg"
        case .html: "html"
        }
    }

    /// `canvas` in this format; `theme` gives the colours the terminal's defaults stand for.
    public func export(_ canvas: Canvas, theme: Theme) -> String {
        switch self {
        case .text: canvas.plainText + "\n"
        case .ansi: canvas.ansiText
        case .svg: SVGExporter(theme: theme).document(canvas)
        case .html: HTMLExporter(theme: theme).document(canvas)
        }
    }
}
