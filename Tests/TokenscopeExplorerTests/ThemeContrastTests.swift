import Testing
@testable import TokenscopeExplorer
@testable import TokenscopeUI

// MARK: - Legibility: WCAG contrast of every theme

/// Every foreground/background pair a theme uses reaches the WCAG 2 contrast of 4.5:1 for normal
/// text — checked on the theme tables and on every cell of text the views draw (ramp cells are
/// pictures and are left out; labels drawn on ramp cells are checked).
@Suite("Themes: contrast")
struct ThemeContrastTests {
    static let bar = 4.5
    static let colourThemes = Theme.Name.allCases
    static let depths: [ColorDepth] = [.truecolor, .indexed256]

    /// The colours a style shows over the theme's canvas: defaults resolved, reverse applied.
    static func pair(_ style: Style, _ theme: Theme) -> ((UInt8, UInt8, UInt8), (UInt8, UInt8, UInt8)) {
        func hex(_ v: UInt32) -> (UInt8, UInt8, UInt8) { (UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)) }
        var foreground = style.foreground.rgb ?? hex(theme.canvasColors.foreground)
        var background = style.background.rgb ?? hex(theme.canvasColors.background)
        if style.reverse { swap(&foreground, &background) }
        return (foreground, background)
    }

    static func ratio(_ style: Style, _ theme: Theme) -> Double {
        let (foreground, background) = pair(style, theme)
        return Contrast.ratio(foreground, background)
    }

    @Test func contrastFormulaMatchesWCAG() {
        #expect(abs(Contrast.ratio((0, 0, 0), (255, 255, 255)) - 21) < 1e-9)
        #expect(abs(Contrast.ratio((255, 255, 255), (255, 255, 255)) - 1) < 1e-9)
        // #777777 on white is the classic just-failing grey (4.48:1).
        #expect(abs(Contrast.ratio((0x77, 0x77, 0x77), (255, 255, 255)) - 4.48) < 0.01)
    }

    @Test func everyRoleOfEveryThemeIsLegible() {
        for name in Self.colourThemes {
            for depth in Self.depths {
                let theme = Theme(name, depth: depth)
                var footerKeys = theme.footer
                footerKeys.bold = true
                var roles: [(String, Style)] = [
                    ("base", theme.base), ("header", theme.header), ("footer", theme.footer), ("footer keys", footerKeys),
                    ("selection", theme.selection), ("muted", theme.muted), ("warning", theme.warning), ("special", theme.special),
                    ("probability", theme.probability), ("attention", theme.attention),
                    ("byte chip", Style(foreground: .indexed(16), background: .indexed(180))),
                ]
                roles += theme.chips.enumerated().map { ("chip \($0.offset)", $0.element) }
                roles += theme.marks.enumerated().map { ("mark \($0.offset)", $0.element) }
                roles += (0...100).map { ("label on ramp \($0)%", theme.rampLabel(Double($0) / 100)) }
                for (role, style) in roles {
                    let ratio = Self.ratio(style, theme)
                    #expect(ratio >= Self.bar, "\(name) at \(depth): \(role) has contrast \(ratio)")
                }
            }
        }
    }

    /// Characters drawn as pictures (block elements, shades, braille): ramps, bars, sparklines.
    static func isPicture(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value else { return true }
        return (0x2580...0x259F).contains(value) || (0x2800...0x28FF).contains(value)
    }

    @Test func everyTextCellOfEveryViewIsLegible() throws {
        let screens: [(String, String)] = [
            ("tokens", "1ix"), ("sampling", "2<Space><Space><Down>"), ("attention", "3"), ("layer", "3h"), ("overview", "3o"),
            ("embeddings", "4"), ("forward", "5"), ("help", "2?"), ("editor", "e"), ("generated chips", "<Space><Space><Space>1"),
            ("two prompts", "2||<C-w>was<Enter>"), ("same head, two prompts", "3|<C-w>was<Enter>"),
        ]
        for name in Self.colourThemes {
            for depth in Self.depths {
                let theme = Theme(name, depth: depth)
                for (screen, keys) in screens {
                    let explorer = try HeadlessExplorer(width: 100, height: 30, keys: keys)
                    let canvas = explorer.render(theme: theme)
                    var worst: (ratio: Double, x: Int, y: Int, character: Character)?
                    var checked = 0
                    for y in 0..<canvas.height {
                        for x in 0..<canvas.width {
                            guard let cell = canvas[x, y], let character = cell.character, character != " ", !Self.isPicture(character) else { continue }
                            let ratio = Self.ratio(cell.style, theme)
                            checked += 1
                            if ratio < (worst?.ratio ?? Self.bar) { worst = (ratio, x, y, character) }
                        }
                    }
                    #expect(checked > 200, "\(name) \(screen): only \(checked) text cells")
                    if let worst {
                        Issue.record("\(name) at \(depth), \(screen): '\(worst.character)' at (\(worst.x), \(worst.y)) has contrast \(worst.ratio): \(canvas.lines[worst.y])")
                    }
                }
            }
        }
    }

    @Test func paintingThemesLeaveNoCellToTheTerminal() throws {
        for name in [Theme.Name.light, .projector, .highContrast] {
            let theme = Theme(name, depth: .indexed256)
            for keys in ["1", "2", "3", "4", "5", "?"] {
                let canvas = try HeadlessExplorer(width: 80, height: 24, keys: keys).render(theme: theme)
                for y in 0..<canvas.height {
                    for x in 0..<canvas.width {
                        let style = canvas[x, y]?.style
                        #expect(style?.background != .default && style?.foreground != .default, "\(name) \(keys): cell (\(x), \(y))")
                    }
                }
            }
        }
    }
}
