// MARK: - Layout helpers

extension Rect {
    /// The rectangle shrunk by `dx` columns on each side and `dy` rows at top and bottom (never negative).
    public func inset(dx: Int, dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: max(0, width - 2 * dx), height: max(0, height - 2 * dy))
    }

    /// The first `rows` rows and the rest.
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }

    /// Whether the rectangle has no cells.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// Whether (x, y) lies inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && py >= y && px < x + width && py < y + height }
}
