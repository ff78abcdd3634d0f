import Testing
import TokenscopeUI

// MARK: - Themes, ramps and colour depths

@Suite("Widgets: themes")
struct WidgetThemeTests {
    @Test func depthFollowsTheEnvironment() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1"], colors: 256) == .monochrome)
        #expect(ColorDepth.detect(environment: ["TERM": "dumb"], colors: 256) == .monochrome)
        #expect(ColorDepth.detect(environment: [:], colors: 256, noColor: true) == .monochrome)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], colors: 256) == .truecolor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "24bit"], colors: 256) == .truecolor)
        #expect(ColorDepth.detect(environment: [:], colors: 256) == .indexed256)
        #expect(ColorDepth.detect(environment: [:], colors: 16) == .ansi16)
        #expect(ColorDepth.detect(environment: [:], colors: 8) == .ansi8)
        #expect(ColorDepth.detect(environment: [:], colors: 0) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], colors: 8) == .ansi8, "an empty NO_COLOR does not count")
    }

    @Test func nearestColours() {
        #expect(Palette.nearest256(255, 0, 0) == 196)
        #expect(Palette.nearest256(128, 128, 128) == 244)
        #expect(Palette.nearest256(0, 95, 135) == 24)
        #expect(Palette.nearest(255, 0, 0, count: 8) == 1)
        #expect(Palette.nearest(255, 0, 0, count: 16) == 9)
        #expect(Palette.nearest(10, 10, 10, count: 8) == 0)
        for index in 16...255 { #expect(Palette.nearest256(Palette.rgb(of: UInt8(index)).0, Palette.rgb(of: UInt8(index)).1, Palette.rgb(of: UInt8(index)).2) == UInt8(index) || index >= 232 || [16, 231].contains(index)) }
    }

    @Test func rampsHave101StepsFromLowToHigh() {
        let dark = Theme(.dark, depth: .truecolor)
        #expect(dark.ramp.count == 101)
        #expect(dark.ramp.first == .rgb(0x44, 0x01, 0x54), "viridis starts dark purple")
        #expect(dark.ramp.last == .rgb(0xFD, 0xE7, 0x25), "and ends yellow")
        #expect(dark.rampColor(0.5) == dark.ramp[50])
        #expect(dark.rampColor(.nan) == dark.ramp[0])
        #expect(dark.rampColor(7) == dark.ramp[100])
        // Lightness rises along the dark and colour-blind ramps and falls along the light one.
        func lightness(_ c: Color) -> Int {
            guard case .rgb(let r, let g, let b) = c else { return -1 }
            return 2 * Int(r) + 7 * Int(g) + Int(b)
        }
        for name in [Theme.Name.dark, .colorblind] {
            let ramp = Theme(name, depth: .truecolor).ramp
            #expect(zip(ramp, ramp.dropFirst()).allSatisfy { lightness($0) <= lightness($1) + 2 }, "\(name) ramp is not monotonic")
        }
        let light = Theme(.light, depth: .truecolor).ramp
        #expect(lightness(light[0]) > lightness(light[100]))
    }

    @Test func everyDepthHasItsOwnColours() {
        let byDepth = ColorDepth.allCases.map { Theme(.dark, depth: $0) }
        for theme in byDepth {
            for color in theme.ramp + [theme.header.background, theme.selection.background] {
                switch (theme.depth, color) {
                case (.truecolor, .rgb): break
                case (.indexed256, .indexed(let i)): #expect(i >= 16)
                case (.ansi16, .indexed(let i)): #expect(i < 16)
                case (.ansi8, .indexed(let i)): #expect(i < 8)
                case (.monochrome, .default): break
                default: Issue.record("\(theme.depth) theme uses \(color)")
                }
            }
        }
    }

    @Test func monochromeRampsAreShades() {
        let mono = Theme.monochrome
        #expect(!mono.hasColor)
        #expect(mono.rampCell(0).character == " ")
        #expect(mono.rampCell(0.3).character == "▒")
        #expect(mono.rampCell(1).character == "█")
        #expect(mono.rampCell(1).style == .plain)
        #expect(Theme.shade(.nan) == " ")
        let dark = Theme.dark
        #expect(dark.rampCell(1).character == " " && dark.rampCell(1).style.background == dark.ramp[100])
    }
}
