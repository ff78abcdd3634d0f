// MARK: - Horizontal bar chart

/// Horizontal bars with eighth-block precision (▏▎▍▌▋▊▉█): a label column, the bar, and a value
/// text, one row per entry. Bars are scaled to `maximum` (the largest value when nil).
///
/// ```
/// Paris   ███████████████▍     0.612
/// the     ████▊                0.193
/// ```
public struct BarChart: Widget {
    /// One bar.
    public struct Row: Sendable, Equatable {
        /// Text before the bar (truncated with … to the label column).
        public var label: String
        /// The bar's length as a value (negative and non-finite values draw no bar).
        public var value: Double
        /// Text after the bar (e.g. the value as a percentage).
        public var annotation: String
        /// The bar's style (the chart's `barStyle` when nil).
        public var style: Style?
        /// The label's style (the chart's `labelStyle` when nil).
        public var labelStyle: Style?

        /// Creates a row.
        public init(label: String, value: Double, annotation: String = "", style: Style? = nil, labelStyle: Style? = nil) {
            self.label = label
            self.value = value
            self.annotation = annotation
            self.style = style
            self.labelStyle = labelStyle
        }
    }

    /// The rows, top to bottom; rows beyond the area's height are not drawn.
    public var rows: [Row]
    /// The value a full-width bar stands for (the largest value when nil).
    public var maximum: Double?
    /// Columns for labels (nil: the longest label, at most a third of the width).
    public var labelWidth: Int?
    /// Default bar and label styles.
    public var barStyle: Style
    public var labelStyle: Style
    /// Style of the annotations.
    public var annotationStyle: Style

    /// Creates a chart.
    public init(rows: [Row], maximum: Double? = nil, labelWidth: Int? = nil, barStyle: Style = .plain,
                labelStyle: Style = .plain, annotationStyle: Style = .plain) {
        self.rows = rows
        self.maximum = maximum
        self.labelWidth = labelWidth
        self.barStyle = barStyle
        self.labelStyle = labelStyle
        self.annotationStyle = annotationStyle
    }

    /// Partial blocks by eighths: index n is n/8 of a cell (index 0 is empty).
    static let eighths: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// The characters of a bar `fraction` (0…1) of `width` columns long, in eighths of a cell,
    /// without trailing blanks.
    public static func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0, fraction.isFinite, fraction > 0 else { return "" }
        let eighthsTotal = Int((min(1, fraction) * Double(width * 8)).rounded())
        var out = String(repeating: "█", count: eighthsTotal / 8)
        if eighthsTotal % 8 > 0 { out.append(eighths[eighthsTotal % 8]) }
        return out
    }

    /// Draws the chart into `area`.
    public func render(in area: Rect, on canvas: inout Canvas) {
        guard area.width > 0, area.height > 0 else { return }
        let largest = maximum ?? rows.map(\.value).filter(\.isFinite).max() ?? 0
        let labels = labelWidth ?? min(area.width / 3, rows.map { Canvas.columns(of: $0.label) }.max() ?? 0)
        let annotations = min(area.width / 3, rows.map { Canvas.columns(of: $0.annotation) }.max() ?? 0)
        let gaps = (labels > 0 ? 1 : 0) + (annotations > 0 ? 1 : 0)
        let barWidth = max(0, area.width - labels - annotations - gaps)
        for (index, row) in rows.prefix(area.height).enumerated() {
            let y = area.y + index
            var x = area.x
            if labels > 0 {
                canvas.text(row.label, x: x, y: y, style: row.labelStyle ?? labelStyle, maxWidth: labels)
                x += labels + 1
            }
            if barWidth > 0 {
                let fraction = largest > 0 ? row.value / largest : 0
                canvas.text(Self.bar(fraction, width: barWidth), x: x, y: y, style: row.style ?? barStyle, maxWidth: barWidth)
                x += barWidth + 1
            }
            if annotations > 0 {
                let text = row.annotation
                let pad = max(0, annotations - Canvas.columns(of: text))
                canvas.text(text, x: x + pad, y: y, style: annotationStyle, maxWidth: min(annotations, area.x + area.width - x - pad))
            }
        }
    }
}
