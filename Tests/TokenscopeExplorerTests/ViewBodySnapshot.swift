@testable import TokenscopeExplorer
import TokenscopeUI

// MARK: - Snapshots of a view's body

/// The rows between the header and the footer (which the shell helper owns and may restyle), so the
/// attention, embeddings and forward snapshots change only when those views do.
func viewBody(_ canvas: Canvas) -> Canvas {
    var body = Canvas(width: canvas.width, height: max(0, canvas.height - 4))
    for y in 0..<body.height {
        for x in 0..<canvas.width {
            guard let cell = canvas[x, y + 2], let character = cell.character else { continue }
            body.set(x, y, character, cell.style)
        }
    }
    return body
}
