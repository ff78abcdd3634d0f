import Foundation

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

// MARK: - Colour depth

/// How many colours the terminal shows; themes are converted to the nearest colours it has.
public enum ColorDepth: String, Sendable, CaseIterable {
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    case truecolor
    /// The xterm 256-colour palette.
    case indexed256 = "256"
    /// The 16 ANSI colours (8 plus bright).
    case ansi16 = "16"
    /// The 8 ANSI colours.
    case ansi8 = "8"
    /// No colour: attributes only, ramps become ░▒▓█ shades (`NO_COLOR`, `TERM=dumb`, `--no-color`).
    case monochrome = "none"

    /// The depth for an environment and the number of colours the terminal reports (nil: unknown,
    /// assume 256). `noColor` is the `--no-color` flag.
    public static func detect(environment: [String: String], colors: Int?, noColor: Bool = false) -> ColorDepth {
        if noColor || environment["NO_COLOR"].map({ !$0.isEmpty }) == true || environment["TERM"] == "dumb" { return .monochrome }
        let colors = colors ?? 256
        if colors < 8 { return .monochrome }
        let colorterm = environment["COLORTERM"]?.lowercased() ?? ""
        if (colorterm == "truecolor" || colorterm == "24bit") && colors >= 256 { return .truecolor }
        if colors >= 256 { return .indexed256 }
        if colors >= 16 { return .ansi16 }
        return .ansi8
    }

    /// The nearest colour this depth can show for 24-bit (r, g, b).
    public func color(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Color {
        switch self {
        case .truecolor: .rgb(r, g, b)
        case .indexed256: .indexed(Palette.nearest256(r, g, b))
        case .ansi16: .indexed(Palette.nearest(r, g, b, count: 16))
        case .ansi8: .indexed(Palette.nearest(r, g, b, count: 8))
        case .monochrome: .default
        }
    }

    /// `color` for a packed 0xRRGGBB value.
    public func color(_ hex: UInt32) -> Color {
        color(UInt8(hex >> 16 & 0xFF), UInt8(hex >> 8 & 0xFF), UInt8(hex & 0xFF))
    }
}

/// The xterm palette and nearest-colour searches.
public enum Palette {
    /// The 16 ANSI colours as xterm draws them.
    public static let ansi: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB of a 256-colour index.
    public static func rgb(of index: UInt8) -> (UInt8, UInt8, UInt8) {
        switch index {
        case 0..<16: return ansi[Int(index)]
        case 16..<232:
            let i = Int(index) - 16
            return (UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[i / 6 % 6]), UInt8(cubeLevels[i % 6]))
        default:
            let level = UInt8(8 + 10 * (Int(index) - 232))
            return (level, level, level)
        }
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        // Weighted for the eye's sensitivity (a cheap stand-in for a perceptual distance).
        let dr = Int(a.0) - Int(r), dg = Int(a.1) - Int(g), db = Int(a.2) - Int(b)
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }

    /// The nearest colour of the 6×6×6 cube and the grey ramp (indices 16–255).
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int { cubeLevels.indices.min { abs(cubeLevels[$0] - Int(v)) < abs(cubeLevels[$1] - Int(v)) } ?? 0 }
        let cube = UInt8(16 + 36 * level(r) + 6 * level(g) + level(b))
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grey = UInt8(232 + min(23, max(0, (average - 3) / 10)))
        return distance(rgb(of: cube), r, g, b) <= distance(rgb(of: grey), r, g, b) ? cube : grey
    }

    /// The nearest of the first `count` (8 or 16) ANSI colours.
    public static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> UInt8 {
        UInt8((0..<min(count, 16)).min { distance(ansi[$0], r, g, b) < distance(ansi[$1], r, g, b) } ?? 0)
    }
}

// MARK: - Themes

/// Semantic roles mapped to styles, so views never name raw colours; built for one colour depth.
public struct Theme: Sendable {
    /// The themes to choose from with `--theme`.
    public enum Name: String, Sendable, CaseIterable {
        /// Dark background, viridis ramp.
        case dark
        /// Light background (projectors), a yellow-green-blue ramp dark at the top.
        case light
        /// Colour-blind safe: Okabe–Ito accents and the cividis ramp.
        case colorblind
        /// For projectors and bright rooms: black on white with thick contrasts, painting its own
        /// background on every cell.
        case projector
        /// White on black with the strongest contrasts, painting its own background on every cell.
        case highContrast = "high-contrast"
    }

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
    /// Probabilities (bars, percentages).
    public var probability: Style
    /// Attention highlights.
    public var attention: Style
    /// Alternating token chip backgrounds.
    public var chips: [Style]
    /// A perceptually even ramp (low to high), 101 steps, for heatmaps and probability bars.
    public var ramp: [Color]
    /// Whether colours are available; without them heatmaps use ░▒▓█ shades.
    public var hasColor: Bool
    /// The foreground and background every cell gets where a view leaves the terminal's default:
    /// the light, projector and high-contrast themes paint their own background so they look the
    /// same on a dark terminal; the dark themes keep the terminal's (both `.default`).
    public var base: Style
    /// The colours the theme is designed over (0xRRGGBB), used for the terminal's default colours
    /// when a screen is exported (SVG, HTML) or its contrast is checked.
    public var canvasColors: (foreground: UInt32, background: UInt32)
    /// Styles of the embeddings plot's labels: the query, an analogy term, a contextual point, a
    /// neighbour.
    public var marks: [Style]
    /// The colour depth the theme was built for.
    public var depth: ColorDepth

    /// The dark default, on 256 colours.
    public static let dark = Theme(.dark, depth: .indexed256)
    /// The light theme, on 256 colours.
    public static let light = Theme(.light, depth: .indexed256)
    /// The colour-blind-safe theme, on 256 colours.
    public static let colorblind = Theme(.colorblind, depth: .indexed256)
    /// Monochrome: for NO_COLOR, TERM=dumb and --no-color.
    public static let monochrome = Theme(.dark, depth: .monochrome)

    /// Builds theme `name` with the nearest colours `depth` can show.
    public init(_ name: Name, depth: ColorDepth) {
        self.depth = depth
        guard depth != .monochrome else {
            header = Style(reverse: true)
            footer = Style(reverse: true)
            selection = Style(bold: true, reverse: true)
            muted = Style(dim: true)
            warning = Style(bold: true)
            special = Style(underline: true)
            probability = Style(bold: true)
            attention = Style(bold: true)
            chips = [Style(underline: true), Style()]
            ramp = [.default]
            hasColor = false
            base = .plain
            canvasColors = (0xD0D0D0, 0x000000)
            marks = [Style(bold: true), Style(bold: true), Style(bold: true), .plain]
            return
        }
        hasColor = true
        func c(_ hex: UInt32) -> Color { depth.color(hex) }
        let anchors: [UInt32]
        var paintsBackground = false
        canvasColors = (0xD0D0D0, 0x000000)
        marks = [0xFFD700, 0xFF87FF, 0x5FD7FF].map { Style(foreground: c($0), bold: true) } + [Style(foreground: c(0xBCBCBC))]
        switch name {
        case .dark:
            header = Style(foreground: c(0xFFFFFF), background: c(0x005F87), bold: true)
            footer = Style(foreground: c(0xBCBCBC), background: c(0x303030))
            selection = Style(foreground: c(0x000000), background: c(0xFFD700), bold: true)
            muted = Style(foreground: c(0x8A8A8A))
            warning = Style(foreground: c(0xFF5F5F), bold: true)
            special = Style(foreground: c(0xFF87FF), background: c(0x5F005F))
            probability = Style(foreground: c(0x5FD7FF))
            attention = Style(foreground: c(0xFFAF00), bold: true)
            chips = [0x005FAF, 0x00875F, 0x875F00, 0x870087].map { Style(foreground: c(0xFFFFFF), background: c($0)) }
            // Viridis.
            anchors = [0x440154, 0x482878, 0x3E4989, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6ECE58, 0xB5DE2B, 0xFDE725]
        case .light:
            header = Style(foreground: c(0xFFFFFF), background: c(0x1C4E80), bold: true)
            footer = Style(foreground: c(0x262626), background: c(0xD0D0D0))
            selection = Style(foreground: c(0x000000), background: c(0xFFD75F), bold: true)
            muted = Style(foreground: c(0x6C6C6C))
            warning = Style(foreground: c(0xC00000), bold: true)
            special = Style(foreground: c(0x870087), background: c(0xFFD7FF))
            probability = Style(foreground: c(0x005FD7), bold: true)
            attention = Style(foreground: c(0xAF4F00), bold: true)
            chips = [0xC6DBEF, 0xC7E9C0, 0xFDD0A2, 0xDADAEB].map { Style(foreground: c(0x000000), background: c($0)) }
            // Yellow–green–blue: pale for low values, dark for high ones (reads on white).
            anchors = [0xFFFFD9, 0xEDF8B1, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x253494, 0x081D58]
            paintsBackground = true
            canvasColors = (0x1C1C1C, 0xFFFFFF)
            marks = [0x8A5A00, 0x9A0A9A, 0x005F87].map { Style(foreground: c($0), bold: true) } + [Style(foreground: c(0x3A3A3A))]
        case .projector:
            // Black on white, headings and selection in solid blocks; no thin greys.
            header = Style(foreground: c(0xFFFFFF), background: c(0x000000), bold: true)
            footer = Style(foreground: c(0x000000), background: c(0xDADADA))
            selection = Style(foreground: c(0x000000), background: c(0xFFD400), bold: true)
            muted = Style(foreground: c(0x3F3F3F))
            warning = Style(foreground: c(0xA00000), bold: true)
            special = Style(foreground: c(0x5C005C), background: c(0xF2CCF2), bold: true)
            probability = Style(foreground: c(0x0033A0), bold: true)
            attention = Style(foreground: c(0x8A3300), bold: true)
            chips = [0xB3D1F0, 0xB9E3AE, 0xF7CD94, 0xD6CCEE].map { Style(foreground: c(0x000000), background: c($0)) }
            anchors = [0xFFFFD9, 0xEDF8B1, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x253494, 0x081D58]
            paintsBackground = true
            canvasColors = (0x000000, 0xFFFFFF)
            marks = [0x7A4F00, 0x8B008B, 0x004E8C].map { Style(foreground: c($0), bold: true) } + [Style(foreground: c(0x262626))]
        case .highContrast:
            // White on black; every accent is a bright, saturated colour.
            header = Style(foreground: c(0x000000), background: c(0xFFFFFF), bold: true)
            footer = Style(foreground: c(0xFFFFFF), background: c(0x262626))
            selection = Style(foreground: c(0x000000), background: c(0x00FFFF), bold: true)
            muted = Style(foreground: c(0xC6C6C6))
            warning = Style(foreground: c(0xFF6E6E), bold: true)
            special = Style(foreground: c(0x000000), background: c(0xFF9CFF), bold: true)
            probability = Style(foreground: c(0x87DFFF), bold: true)
            attention = Style(foreground: c(0xFFC000), bold: true)
            chips = [0x9CC8FF, 0x8CF08C, 0xFFD27A, 0xE0AFFF].map { Style(foreground: c(0x000000), background: c($0)) }
            // Inferno: black to pale yellow through red and orange.
            anchors = [0x000004, 0x1B0C41, 0x4A0C6B, 0x781C6D, 0xA52C60, 0xCF4446, 0xED6925, 0xFB9B06, 0xF7D13D, 0xFCFFA4]
            paintsBackground = true
            canvasColors = (0xFFFFFF, 0x000000)
            marks = [0xFFFF00, 0xFF9CFF, 0x87DFFF].map { Style(foreground: c($0), bold: true) } + [Style(foreground: c(0xFFFFFF))]
        case .colorblind:
            header = Style(foreground: c(0xFFFFFF), background: c(0x0072B2), bold: true)
            footer = Style(foreground: c(0xBCBCBC), background: c(0x303030))
            selection = Style(foreground: c(0x000000), background: c(0xF0E442), bold: true)
            muted = Style(foreground: c(0x8A8A8A))
            warning = Style(foreground: c(0xD55E00), bold: true)
            special = Style(foreground: c(0x000000), background: c(0xCC79A7))
            probability = Style(foreground: c(0x56B4E9))
            attention = Style(foreground: c(0xE69F00), bold: true)
            chips = [0x0072B2, 0x007A5A, 0x8C5A00, 0x7A3E6A].map { Style(foreground: c(0xFFFFFF), background: c($0)) }
            // Cividis: even in lightness and readable with every common colour-vision deficiency.
            anchors = [0x00224E, 0x123570, 0x3B496C, 0x575D6D, 0x707173, 0x8A8779, 0xA69D75, 0xC4B56C, 0xE4CF5B, 0xFEE838]
        }
        ramp = Self.gradient(anchors, steps: 101).map { depth.color($0.0, $0.1, $0.2) }
        base = paintsBackground ? Style(foreground: c(canvasColors.foreground), background: c(canvasColors.background)) : .plain
    }

    /// The theme for a name and depth (monochrome ignores the name).
    public static func named(_ name: Name, depth: ColorDepth) -> Theme { Theme(name, depth: depth) }

    /// `steps` colours evenly interpolated through `anchors` (0xRRGGBB).
    static func gradient(_ anchors: [UInt32], steps: Int) -> [(UInt8, UInt8, UInt8)] {
        guard anchors.count > 1, steps > 1 else { return anchors.map { (UInt8($0 >> 16 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 & 0xFF)) } }
        return (0..<steps).map { step in
            let t = Double(step) / Double(steps - 1) * Double(anchors.count - 1)
            let i = min(anchors.count - 2, Int(t)), f = t - Double(i)
            func channel(_ shift: UInt32) -> UInt8 {
                let a = Double(anchors[i] >> shift & 0xFF), b = Double(anchors[i + 1] >> shift & 0xFF)
                return UInt8((a + (b - a) * f).rounded())
            }
            return (channel(16), channel(8), channel(0))
        }
    }

    // MARK: Ramps

    /// The ramp colour for a value in [0, 1] (non-finite values count as 0).
    public func rampColor(_ value: Double) -> Color {
        let clamped = min(1, max(0, value.isFinite ? value : 0))
        return ramp[min(ramp.count - 1, Int(clamped * Double(ramp.count - 1) + 0.5))]
    }

    /// A cell showing a value in [0, 1]: a blank on the ramp colour, or in monochrome a ░▒▓█ shade.
    public func rampCell(_ value: Double) -> (character: Character, style: Style) {
        hasColor ? (" ", Style(background: rampColor(value))) : (Self.shade(value), .plain)
    }

    /// A label drawn on a ramp cell for a value in [0, 1]: black or white text, whichever has the
    /// higher contrast with that cell (always at least 4.58:1); bold reversed video in monochrome.
    public func rampLabel(_ value: Double) -> Style {
        guard hasColor else { return value > 0.5 ? Style(bold: true, reverse: true) : value > 0.2 ? Style(underline: true) : .plain }
        let background = rampColor(value)
        let luminance = background.rgb.map(Contrast.luminance) ?? 0
        let black = Contrast.ratio(luminance, 0), white = Contrast.ratio(luminance, 1)
        return Style(foreground: depth.color(black >= white ? 0x000000 : 0xFFFFFF), background: background)
    }

    /// Paints the theme's base colours into every cell that left a colour to the terminal, so a
    /// light theme looks the same on a dark terminal (a no-op for themes that keep the terminal's
    /// colours).
    public func paint(_ canvas: inout Canvas) {
        guard base != .plain else { return }
        canvas.restyle { style in
            var style = style
            if style.foreground == .default { style.foreground = base.foreground }
            if style.background == .default { style.background = base.background }
            return style
        }
    }

    /// A shade character for a value in [0, 1], for monochrome heatmaps.
    public static func shade(_ value: Double) -> Character {
        switch value.isFinite ? value : 0 {
        case ..<0.05: " "
        case ..<0.25: "░"
        case ..<0.5: "▒"
        case ..<0.75: "▓"
        default: "█"
        }
    }
}

// MARK: - Contrast

extension Color {
    /// The 24-bit colour this is (an indexed colour as xterm draws it), or nil for the terminal's
    /// default.
    public var rgb: (UInt8, UInt8, UInt8)? {
        switch self {
        case .default: nil
        case .indexed(let index): Palette.rgb(of: index)
        case .rgb(let r, let g, let b): (r, g, b)
        }
    }
}

/// WCAG 2 contrast: relative luminance and the ratio between two colours, so themes can be checked
/// for legibility (4.5:1 is the bar for normal text).
public enum Contrast {
    /// The relative luminance of an sRGB colour, in [0, 1].
    public static func luminance(_ rgb: (UInt8, UInt8, UInt8)) -> Double {
        func linear(_ channel: UInt8) -> Double {
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(rgb.0) + 0.7152 * linear(rgb.1) + 0.0722 * linear(rgb.2)
    }

    /// The contrast ratio of two luminances, in [1, 21].
    public static func ratio(_ a: Double, _ b: Double) -> Double { (max(a, b) + 0.05) / (min(a, b) + 0.05) }

    /// The contrast ratio of two colours.
    public static func ratio(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Double {
        ratio(luminance(a), luminance(b))
    }
}
