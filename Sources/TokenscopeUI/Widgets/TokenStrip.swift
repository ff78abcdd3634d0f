// MARK: - Token strip widget

/// How a chip is drawn: ordinary text, a special (control) token, or bytes that are not whole UTF-8
/// characters on their own.
public enum ChipKind: Sendable, Equatable {
    case normal, special, byte
}

/// One token as a chip: its label (whitespace made visible), its id and its kind.
public struct TokenChip: Sendable, Equatable {
    /// The text on the chip.
    public var label: String
    /// The vocabulary id, shown under the chip when ids are on.
    public var id: Int
    /// How the chip is styled.
    public var kind: ChipKind
    /// A style that overrides the alternating hue (e.g. the probability colour of a generated token).
    public var style: Style?
    /// Whether the chip ends its line (the token ends in a newline).
    public var breaksLine: Bool

    /// A chip with an explicit label.
    public init(label: String, id: Int, kind: ChipKind, style: Style? = nil, breaksLine: Bool = false) {
        self.label = label
        self.id = id
        self.kind = kind
        self.style = style
        self.breaksLine = breaksLine
    }
}

/// Where one chip lands, relative to the strip's area: column, line (a line is one or two rows).
public struct ChipPlacement: Sendable, Equatable {
    public var index: Int
    public var x: Int
    public var line: Int
    public var width: Int
}

/// Token chips that wrap like text, in alternating hues so token boundaries are obvious, with ids
/// under them on a toggle; marks its chips on the canvas (`firstIndex`) so mouse clicks select tokens.
public struct TokenStrip: Widget {
    /// The chips, in order.
    public var chips: [TokenChip]
    /// Whether each chip has its id on the row under it.
    public var showIDs: Bool
    /// The chip drawn as selected.
    public var selected: Int?
    /// Columns between chips (0 when hues separate them, 1 in monochrome).
    public var gap: Int
    /// The sequence position of the first chip when the chips are the sequence's tokens: drawn
    /// chips are then marked on the canvas so clicking one selects its token (nil: not clickable).
    public var firstIndex: Int?
    /// Chip colours.
    public var theme: Theme
    /// Draws only the chips that fit on the first row, ending in `…` when some do not.
    public var singleLine = false

    /// A strip of `chips`.
    public init(chips: [TokenChip], theme: Theme, showIDs: Bool = false, selected: Int? = nil, gap: Int = 0,
                firstIndex: Int? = nil, singleLine: Bool = false) {
        self.theme = theme
        self.singleLine = singleLine
        self.chips = chips
        self.showIDs = showIDs
        self.selected = selected
        self.gap = gap
        self.firstIndex = firstIndex
    }

    /// Rows one line of chips takes.
    public var lineHeight: Int { showIDs ? 2 : 1 }

    /// Chip positions when wrapped to `width` columns.
    public func layout(width: Int) -> [ChipPlacement] {
        var out: [ChipPlacement] = []
        out.reserveCapacity(chips.count)
        let width = max(1, width)
        var x = 0, line = 0
        for (index, chip) in chips.enumerated() {
            let w = min(width, max(1, Canvas.columns(of: chip.label), showIDs ? String(chip.id).count : 0))
            if x > 0 && x + w > width {
                x = 0
                line += 1
            }
            out.append(ChipPlacement(index: index, x: x, line: line, width: w))
            x += w + gap
            if chip.breaksLine {
                x = 0
                line += 1
            }
        }
        return out
    }

    /// The first line shown in `area` so the selected chip is visible.
    public func firstLine(in area: Rect) -> Int {
        let lines = max(1, area.height / lineHeight)
        let placements = layout(width: area.width)
        guard let selected, let chip = placements.first(where: { $0.index == selected }) else {
            return max(0, (placements.last?.line ?? 0) - lines + 1)
        }
        return max(0, chip.line - lines + 1)
    }

    /// Draws the strip into `area`, scrolled so the selected chip shows (or its first row only).
    public func render(in area: Rect, on canvas: inout Canvas) {
        singleLine ? renderLine(in: area, on: &canvas) : renderWrapped(in: area, on: &canvas)
    }

    private func renderWrapped(in area: Rect, on canvas: inout Canvas) {
        let first = firstLine(in: area)
        let lines = max(1, area.height / lineHeight)
        for chip in layout(width: area.width) where chip.line >= first && chip.line < first + lines {
            let token = chips[chip.index]
            var style: Style
            switch token.kind {
            case .special: style = theme.special
            case .byte: style = theme.hasColor ? Style(foreground: .indexed(16), background: .indexed(180)) : Style(dim: true, underline: true)
            case .normal: style = token.style ?? theme.chips[chip.index % max(1, theme.chips.count)]
            }
            if chip.index == selected { style = theme.selection }
            let y = area.y + (chip.line - first) * lineHeight
            let x = area.x + chip.x
            canvas.fill(x: x, y: y, width: chip.width, height: 1, style: style)
            canvas.text(token.label, x: x, y: y, style: style, maxWidth: chip.width)
            if showIDs {
                canvas.text(String(token.id), x: x, y: y + 1, style: chip.index == selected ? theme.selection : theme.muted, maxWidth: chip.width)
            }
            if let firstIndex {
                for row in y..<(y + lineHeight) { canvas.markToken(firstIndex + chip.index, x: x, y: row, width: chip.width) }
            }
        }
    }
}

extension TokenStrip {
    /// Draws the chips that fit on one row of `area`, ending in `…` when some do not.
    private func renderLine(in area: Rect, on canvas: inout Canvas) {
        let placements = layout(width: max(1, area.width - 1))
        let firstLine = placements.filter { $0.line == 0 }
        var single = self
        single.chips = Array(chips.prefix(firstLine.count))
        single.showIDs = false
        single.renderWrapped(in: Rect(x: area.x, y: area.y, width: max(1, area.width - 1), height: 1), on: &canvas)
        if firstLine.count < chips.count, let last = firstLine.last {
            canvas.text("…", x: area.x + last.x + last.width + gap, y: area.y, style: theme.muted)
        }
    }
}
