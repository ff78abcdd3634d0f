// MARK: - HTML export

/// A screen as a standalone HTML page: one `<pre>` on the screen's background, a `<span>` per run of
/// equally styled cells (text keeps its characters, so it can be copied).
public struct HTMLExporter: Sendable {
    let resolver: CellResolver

    /// An exporter with the theme's canvas colours for the terminal's defaults.
    public init(theme: Theme) { resolver = CellResolver(theme: theme) }

    /// The HTML document.
    public func document(_ canvas: Canvas) -> String {
        var out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Tokenscope</title></head>\n"
        out += "<body style=\"margin:0;background:\(resolver.defaultBackground.hex)\">\n"
        out += "<pre style=\"margin:0;padding:0.5em;font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;line-height:1.2;"
        out += "color:\(resolver.defaultForeground.hex);background:\(resolver.defaultBackground.hex)\">"
        for y in 0..<canvas.height {
            var current: ResolvedLook?
            var text = ""
            func flush() {
                guard let look = current, !text.isEmpty else { return }
                var css = "color:\(look.foreground.hex);background:\(look.background.hex)"
                if look.bold { css += ";font-weight:bold" }
                if look.dim { css += ";opacity:0.6" }
                if look.underline { css += ";text-decoration:underline" }
                out += "<span style=\"\(css)\">\(text.xmlEscaped)</span>"
                text = ""
            }
            for x in 0..<canvas.width {
                guard let cell = canvas[x, y], let character = cell.character else { continue }
                let look = resolver.look(cell.style)
                if look != current {
                    flush()
                    current = look
                }
                text.append(character)
            }
            flush()
            out += "\n"
        }
        out += "</pre>\n</body></html>\n"
        return out
    }
}
