// MARK: - Colours and styles

/// A terminal colour: the terminal's default, one of the 256 indexed colours, or 24-bit.
public enum Color: Hashable, Sendable {
    case `default`
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

/// How a cell looks.
public struct Style: Hashable, Sendable {
    /// Text colour.
    public var foreground: Color
    /// Background colour.
    public var background: Color
    /// Bold text.
    public var bold: Bool
    /// Dim (faint) text.
    public var dim: Bool
    /// Swapped colours.
    public var reverse: Bool
    /// Underlined text.
    public var underline: Bool

    /// Creates a style.
    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// The terminal's default look.
    public static let plain = Style()
}

/// Semantic roles mapped to styles, so views never name raw colours.
public struct Theme: Sendable {
    /// Title bar and headings.
    public var header: Style
    /// Keys and status at the bottom.
    public var footer: Style
    /// The selected item.
    public var selection: Style
    /// Secondary text.
    public var muted: Style
    /// Warnings and errors.
    public var warning: Style
    /// Control and special tokens.
    public var special: Style
    /// Alternating token chip backgrounds.
    public var chips: [Style]
    /// A perceptually even ramp (dark to bright) for heatmaps and probability bars.
    public var ramp: [Color]
    /// Whether colours are available; without them heatmaps use ░▒▓█ shades.
    public var hasColor: Bool

    /// The dark default, on 256 colours.
    public static let dark = Theme(
        header: Style(foreground: .indexed(231), background: .indexed(24), bold: true),
        footer: Style(foreground: .indexed(250), background: .indexed(236)),
        selection: Style(foreground: .indexed(16), background: .indexed(220), bold: true),
        muted: Style(foreground: .indexed(244)),
        warning: Style(foreground: .indexed(203), bold: true),
        special: Style(foreground: .indexed(213), background: .indexed(53)),
        chips: [Style(foreground: .indexed(231), background: .indexed(25)), Style(foreground: .indexed(231), background: .indexed(29)),
                Style(foreground: .indexed(231), background: .indexed(94)), Style(foreground: .indexed(231), background: .indexed(90))],
        // Viridis-like ramp in the 256-colour cube.
        ramp: [17, 18, 24, 30, 36, 35, 71, 107, 143, 179, 220, 226].map { Color.indexed($0) },
        hasColor: true)

    /// Monochrome: for NO_COLOR, TERM=dumb and --no-color.
    public static let monochrome = Theme(
        header: Style(reverse: true), footer: Style(reverse: true), selection: Style(bold: true, reverse: true),
        muted: Style(dim: true), warning: Style(bold: true), special: Style(underline: true),
        chips: [Style(underline: true), Style()], ramp: [.default], hasColor: false)

    /// The ramp colour for a value in [0, 1].
    public func rampColor(_ value: Double) -> Color {
        let clamped = min(1, max(0, value.isFinite ? value : 0))
        return ramp[min(ramp.count - 1, Int(clamped * Double(ramp.count - 1) + 0.5))]
    }

    /// A shade character for a value in [0, 1], for monochrome heatmaps.
    public static func shade(_ value: Double) -> Character {
        switch value {
        case ..<0.05: " "
        case ..<0.25: "░"
        case ..<0.5: "▒"
        case ..<0.75: "▓"
        default: "█"
        }
    }
}
