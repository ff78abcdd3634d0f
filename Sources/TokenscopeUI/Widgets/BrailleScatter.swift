// MARK: - Braille scatter plot

/// A scatter plot in braille dots (2 × 4 dots per cell) with a label beside each point, for the
/// embeddings view's PCA projection. Points are scaled to fill the area; labels that would overlap
/// an earlier label are left out.
public struct BrailleScatter: Widget {
    /// One point: where, its label, and the label's style.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var label: String
        public var style: Style
        public init(x: Double, y: Double, label: String, style: Style = .plain) {
            self.x = x
            self.y = y
            self.label = label
            self.style = style
        }
    }

    public var points: [Point]

    /// Creates a plot.
    public init(points: [Point]) { self.points = points }

    /// Braille dot bits by (column 0–1, row 0–3) within a cell.
    static let bits: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// The cell (column, row) of each point in an area of `width` × `height` cells, and its dot.
    public static func layout(_ points: [Point], width: Int, height: Int) -> [(cellX: Int, cellY: Int, dotX: Int, dotY: Int)] {
        guard width > 0, height > 0 else { return [] }
        let xs = points.map(\.x).filter(\.isFinite), ys = points.map(\.y).filter(\.isFinite)
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 1, minY = ys.min() ?? 0, maxY = ys.max() ?? 1
        let dotsX = width * 2 - 1, dotsY = height * 4 - 1
        return points.map { p in
            let fx = maxX > minX && p.x.isFinite ? (p.x - minX) / (maxX - minX) : 0.5
            let fy = maxY > minY && p.y.isFinite ? (p.y - minY) / (maxY - minY) : 0.5
            let dx = Int((fx * Double(dotsX)).rounded()), dy = Int(((1 - fy) * Double(dotsY)).rounded())  // y grows up
            return (dx / 2, dy / 4, dx % 2, dy % 4)
        }
    }

    /// Draws the dots and labels inside `area`.
    public func render(in area: Rect, on canvas: inout Canvas) {
        // Leave room on the right for labels.
        let plotWidth = max(1, area.width - 8)
        let placed = Self.layout(points, width: plotWidth, height: area.height)
        var cells: [Int: UInt32] = [:]
        for p in placed { cells[p.cellY * area.width + p.cellX, default: 0] |= Self.bits[p.dotX][p.dotY] }
        for (key, mask) in cells {
            guard let scalar = Unicode.Scalar(0x2800 + mask) else { continue }
            canvas.set(area.x + key % area.width, area.y + key / area.width, Character(scalar), .plain)
        }
        var taken: [(y: Int, from: Int, to: Int)] = []
        for (point, p) in zip(points, placed) {
            let x = area.x + p.cellX + 1, y = area.y + p.cellY
            let width = min(Canvas.columns(of: point.label), area.x + area.width - x)
            guard width > 0, !taken.contains(where: { $0.y == y && $0.from < x + width && x < $0.to }) else { continue }
            // Keep the dots visible: labels go only over empty cells.
            if (0..<width).contains(where: { cells[p.cellY * area.width + p.cellX + 1 + $0] != nil }) { continue }
            canvas.text(point.label, x: x, y: y, style: point.style, maxWidth: width)
            taken.append((y, x, x + width))
        }
    }
}
