// MARK: - Sparkline

/// A one-row chart of a series in eighth-height blocks (▁▂▃▄▅▆▇█), one value per column. When the
/// series is longer than the area, the last values are shown (the newest at the right).
///
/// ```
/// ▁▂▄▇█▆▃▁
/// ```
public struct Sparkline: Widget {
    /// The values, oldest first; non-finite values draw a blank.
    public var values: [Double]
    /// The value range mapped to ▁…█ (the series' own minimum and maximum when nil).
    public var range: ClosedRange<Double>?
    /// The style of every column, or a style per value in 0…1 (e.g. a theme ramp) when given.
    public var style: Style
    public var styleForLevel: (@Sendable (Double) -> Style)?

    /// Creates a sparkline.
    public init(values: [Double], range: ClosedRange<Double>? = nil, style: Style = .plain,
                styleForLevel: (@Sendable (Double) -> Style)? = nil) {
        self.values = values
        self.range = range
        self.style = style
        self.styleForLevel = styleForLevel
    }

    /// Heights by eighths: index 0 is the lowest mark (▁), 7 a full block.
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The characters for `values` in `range` (the values' own range when nil).
    public static func characters(_ values: [Double], range: ClosedRange<Double>? = nil) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else {
            return String(repeating: " ", count: values.count)
        }
        return String(values.map { value -> Character in
            guard value.isFinite else { return " " }
            return levels[level(value, low: low, high: high)]
        })
    }

    /// The level 0…7 of `value` between `low` and `high` (the middle when the range is empty).
    public static func level(_ value: Double, low: Double, high: Double) -> Int {
        guard high > low else { return 3 }
        let fraction = min(1, max(0, (value - low) / (high - low)))
        return min(7, Int(fraction * 7 + 0.5))
    }

    /// Draws the last `area.width` values on the first row of `area`.
    public func render(in area: Rect, on canvas: inout Canvas) {
        guard area.width > 0, area.height > 0 else { return }
        let shown = Array(values.suffix(area.width))
        let finite = values.filter(\.isFinite)
        guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else { return }
        for (index, value) in shown.enumerated() where value.isFinite {
            let level = Self.level(value, low: low, high: high)
            let cellStyle = styleForLevel?(Double(level) / 7) ?? style
            canvas.set(area.x + index, area.y, Self.levels[level], cellStyle)
        }
    }
}
