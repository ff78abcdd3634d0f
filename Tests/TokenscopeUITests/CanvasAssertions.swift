import Testing
import TokenscopeUI

// MARK: - Inline canvas assertions

/// Asserts that `canvas` shows exactly `expected` (an inline snapshot of its text, one string per
/// row, trailing spaces trimmed); a failure shows Swift Testing's difference of the two lists.
func assertLines(_ canvas: Canvas, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(canvas.lines == expected, sourceLocation: sourceLocation)
}
