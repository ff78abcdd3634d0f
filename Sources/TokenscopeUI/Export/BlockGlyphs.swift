import Foundation

// MARK: - Block elements and braille as shapes

/// The shapes of the characters that draw pictures rather than text — block elements (▀ ▄ █ ▌ ▐,
/// eighths ▁…▇ and ▏…▉, quadrants, shades ░▒▓) and braille dots (U+2800–U+28FF) — so an export
/// draws them as exact vector shapes filling the cell instead of trusting a font to.
enum BlockGlyphs {
    /// A rectangle in cell units: x and width in [0, 1] of the cell's width, y and height of its height.
    struct Box: Equatable {
        var x: Double, y: Double, width: Double, height: Double
    }

    /// Whether `character` is drawn as shapes.
    static func isGlyph(_ character: Character) -> Bool {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return false }
        return (0x2580...0x259F).contains(scalar.value) || (0x2800...0x28FF).contains(scalar.value)
    }

    /// The opacity a shade character is drawn with (1 for everything else).
    static func opacity(_ character: Character) -> Double {
        switch character {
        case "░": 0.25
        case "▒": 0.5
        case "▓": 0.75
        default: 1
        }
    }

    /// The boxes that make up a block element (empty for braille, which is drawn as dots).
    static func boxes(_ character: Character) -> [Box] {
        guard let value = character.unicodeScalars.first?.value else { return [] }
        let eighth = 1.0 / 8
        switch value {
        case 0x2580: return [Box(x: 0, y: 0, width: 1, height: 0.5)]  // ▀
        case 0x2581...0x2588:  // ▁ … █: lower n eighths
            let n = Double(value - 0x2580)
            return [Box(x: 0, y: 1 - n * eighth, width: 1, height: n * eighth)]
        case 0x2589...0x258F:  // ▉ … ▏: left n eighths (7 down to 1)
            let n = Double(0x2590 - value)
            return [Box(x: 0, y: 0, width: n * eighth, height: 1)]
        case 0x2590: return [Box(x: 0.5, y: 0, width: 0.5, height: 1)]  // ▐
        case 0x2591...0x2593: return [Box(x: 0, y: 0, width: 1, height: 1)]  // ░▒▓ (drawn with opacity)
        case 0x2594: return [Box(x: 0, y: 0, width: 1, height: eighth)]  // ▔
        case 0x2595: return [Box(x: 1 - eighth, y: 0, width: eighth, height: 1)]  // ▕
        case 0x2596...0x259F:  // quadrants ▖▗▘▙▚▛▜▝▞▟
            let quadrants: [[Int]] = [[2], [3], [0], [0, 2, 3], [0, 3], [0, 1, 2], [0, 1, 3], [1], [1, 2], [1, 2, 3]]
            return quadrants[Int(value - 0x2596)].map { q in Box(x: q % 2 == 0 ? 0 : 0.5, y: q < 2 ? 0 : 0.5, width: 0.5, height: 0.5) }
        default: return []
        }
    }

    /// The raised dots of a braille character as (column 0–1, row 0–3).
    static func brailleDots(_ character: Character) -> [(column: Int, row: Int)] {
        guard let value = character.unicodeScalars.first?.value, (0x2800...0x28FF).contains(value) else { return [] }
        let mask = value - 0x2800
        let bits: [(UInt32, Int, Int)] = [(0x01, 0, 0), (0x02, 0, 1), (0x04, 0, 2), (0x40, 0, 3), (0x08, 1, 0), (0x10, 1, 1), (0x20, 1, 2), (0x80, 1, 3)]
        return bits.filter { mask & $0.0 != 0 }.map { ($0.1, $0.2) }
    }

    /// SVG path data for `character` in the cell at pixel (x, y) of `cellWidth` × `cellHeight`.
    static func path(_ character: Character, x: Double, y: Double, cellWidth: Double, cellHeight: Double) -> String {
        var d = ""
        for box in boxes(character) {
            let x0 = x + box.x * cellWidth, y0 = y + box.y * cellHeight
            d += "M\(number(x0)) \(number(y0))h\(number(box.width * cellWidth))v\(number(box.height * cellHeight))h\(number(-box.width * cellWidth))z"
        }
        let radius = min(cellWidth / 4, cellHeight / 8) * 0.8
        for dot in brailleDots(character) {
            let cx = x + (Double(dot.column) + 0.5) * cellWidth / 2, cy = y + (Double(dot.row) + 0.5) * cellHeight / 4
            d += "M\(number(cx - radius)) \(number(cy))a\(number(radius)) \(number(radius)) 0 1 0 \(number(2 * radius)) 0"
                + "a\(number(radius)) \(number(radius)) 0 1 0 \(number(-2 * radius)) 0z"
        }
        return d
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
