import Foundation

// MARK: - Heatmap

/// A grid of values in [0, 1] drawn with the theme's perceptual ramp: with half blocks (▀, the top
/// pixel in the foreground and the bottom one in the background, two rows per cell) or one cell per
/// pixel row `cellWidth` columns wide. NaN pixels are empty (e.g. the future in causal attention).
/// Without colours, pixels become ░▒▓█ shades and empty ones a dim `·`.
public struct Heatmap: Widget {
    /// Pixel values, row-major, in [0, 1]; NaN = empty.
    public var values: [Double]  // (rows, columns)
    public var rows: Int
    public var columns: Int
    /// Two pixel rows per text row.
    public var halfBlocks: Bool
    /// Text columns per pixel.
    public var cellWidth: Int
    /// Colours of the ramp (and the monochrome fallback).
    public var theme: Theme

    /// Creates a heatmap.
    public init(values: [Double], rows: Int, columns: Int, halfBlocks: Bool, cellWidth: Int = 1, theme: Theme) {
        self.theme = theme
        self.values = values
        self.rows = rows
        self.columns = columns
        self.halfBlocks = halfBlocks
        self.cellWidth = max(1, cellWidth)
    }

    /// Text rows the map takes.
    public var textRows: Int { halfBlocks ? (rows + 1) / 2 : rows }

    func value(_ row: Int, _ column: Int) -> Double {
        guard row >= 0, row < rows, column >= 0, column < columns else { return .nan }
        return values[row * columns + column]
    }

    /// Draws the map from the top-left of `area`, clipped to it.
    public func render(in area: Rect, on canvas: inout Canvas) {
        for textRow in 0..<max(0, min(textRows, area.height)) {
            let y = area.y + textRow
            for column in 0..<columns {
                let x0 = area.x + column * cellWidth
                guard x0 + cellWidth <= area.x + area.width else { break }
                let top = halfBlocks ? value(textRow * 2, column) : value(textRow, column)
                let bottom = halfBlocks ? value(textRow * 2 + 1, column) : top
                for dx in 0..<cellWidth {
                    let (character, style) = Self.cell(top: top, bottom: bottom, halfBlock: halfBlocks, theme: theme)
                    canvas.set(x0 + dx, y, character, style)
                }
            }
        }
    }

    /// The character and style of one cell showing `top` over `bottom`.
    static func cell(top: Double, bottom: Double, halfBlock: Bool, theme: Theme) -> (Character, Style) {
        if !theme.hasColor {
            let known = [top, bottom].filter { !$0.isNaN }
            guard !known.isEmpty else { return ("·", theme.muted) }
            return (Theme.shade(known.reduce(0, +) / Double(known.count)), .plain)
        }
        switch (top.isNaN, bottom.isNaN) {
        case (true, true): return (" ", .plain)
        case (false, true): return ("▀", Style(foreground: theme.rampColor(top)))
        case (true, false): return ("▄", Style(foreground: theme.rampColor(bottom)))
        case (false, false):
            return halfBlock ? ("▀", Style(foreground: theme.rampColor(top), background: theme.rampColor(bottom)))
                : (" ", Style(background: theme.rampColor(top)))
        }
    }

    /// The mean of `value` over a block of cells, skipping nils; NaN when every cell is nil.
    public static func average(rows: Range<Int>, columns: Range<Int>, _ value: (Int, Int) -> Float?) -> Double {
        var sum = 0.0, count = 0
        for row in rows {
            for column in columns {
                if let v = value(row, column), !v.isNaN {
                    sum += Double(v)
                    count += 1
                }
            }
        }
        return count == 0 ? .nan : sum / Double(count)
    }

    /// Resamples a `sourceRows` × `sourceColumns` grid to `rows` × `columns` pixels, each the mean
    /// of the source cells it covers (or the one cell it falls in when enlarging).
    public static func resample(sourceRows: Int, sourceColumns: Int, rows: Int, columns: Int, _ value: (Int, Int) -> Float?) -> [Double] {
        var out = [Double](repeating: .nan, count: max(0, rows * columns))
        guard sourceRows > 0, sourceColumns > 0, rows > 0, columns > 0 else { return out }
        for row in 0..<rows {
            let r0 = row * sourceRows / rows, r1 = max(r0 + 1, (row + 1) * sourceRows / rows)
            for column in 0..<columns {
                let c0 = column * sourceColumns / columns, c1 = max(c0 + 1, (column + 1) * sourceColumns / columns)
                out[row * columns + column] = average(rows: r0..<r1, columns: c0..<c1, value)
            }
        }
        return out
    }

    /// A ramp legend: `low`, `steps` cells of the ramp, `high`, then `caption`; returns the next column.
    @discardableResult
    public static func legend(low: String, high: String, caption: String, x: Int, y: Int, theme: Theme, steps: Int = 12,
                              on canvas: inout Canvas) -> Int {
        var column = canvas.text(low + " ", x: x, y: y, style: theme.muted)
        for step in 0..<steps {
            let v = Double(step) / Double(max(1, steps - 1))
            if theme.hasColor { canvas.set(column + step, y, " ", Style(background: theme.rampColor(v))) } else { canvas.set(column + step, y, Theme.shade(v), .plain) }
        }
        column += steps
        return canvas.text(" " + high + "  " + caption, x: column, y: y, style: theme.muted)
    }
}
