import Testing
import TokenscopeUI
@testable import TokenscopeTerminal

// MARK: - Palette redefinition

@Suite("Palette allocator")
struct PaletteAllocatorTests {
    typealias RGB = PaletteAllocator.RGB

    @Test func aColourTakesItsNearestXtermSlotOnce() {
        var palette = PaletteAllocator()
        let teal = RGB(r: 0x00, g: 0x5F, b: 0x87)  // exactly xterm slot 24
        #expect(palette.slot(for: teal) == (24, true))
        #expect(palette.slot(for: teal) == (24, false), "a colour is defined once")
        let nearTeal = RGB(r: 0x02, g: 0x60, b: 0x88)  // also nearest to slot 24, which is taken
        let (slot, redefine) = palette.slot(for: nearTeal)
        #expect(redefine)
        #expect(slot != 24 && (16...255).contains(slot))
        #expect(palette.redefinedCount == 2)
    }

    @Test func theUsersSixteenColoursAreNeverTaken() {
        var palette = PaletteAllocator()
        // Pure ANSI red is slot 9 in the 16-colour set, but the allocator only hands out 16–255.
        var slots: Set<Int32> = []
        for value in 0..<300 {
            let colour = RGB(r: UInt8(value % 256), g: UInt8((value * 7) % 256), b: UInt8((value * 13) % 256))
            slots.insert(palette.slot(for: colour).slot)
        }
        #expect(slots.allSatisfy { (16...255).contains($0) })
        #expect(palette.redefinedCount == 240, "every redefinable slot is used once")
    }

    @Test func whenFullAColourSharesTheNearestRedefinedSlot() {
        var palette = PaletteAllocator()
        for value in 0..<240 { _ = palette.slot(for: RGB(r: UInt8(value), g: 0, b: 0)) }
        let first = palette.slot(for: RGB(r: 100, g: 0, b: 0)).slot
        let (slot, redefine) = palette.slot(for: RGB(r: 100, g: 1, b: 0))
        #expect(!redefine)
        #expect(slot == first)
    }

    @Test func theThemesRampGetsDistinctExactColours() {
        var palette = PaletteAllocator()
        let theme = Theme(.dark, depth: .truecolor)
        var slots: Set<Int32> = []
        var distinct: Set<RGB> = []
        for color in theme.ramp {
            guard case .rgb(let r, let g, let b) = color else { Issue.record("a truecolor ramp is RGB"); return }
            distinct.insert(RGB(r: r, g: g, b: b))
            slots.insert(palette.slot(for: RGB(r: r, g: g, b: b)).slot)
        }
        #expect(slots.count == distinct.count, "each ramp colour has its own slot")
        // The nearest-256 ramp collapses steps the redefined palette keeps apart.
        let indexed = Set(Theme(.dark, depth: .indexed256).ramp.map { "\($0)" })
        #expect(distinct.count > indexed.count)
    }

    @Test func cursesComponentsRoundTripThroughTerminfoScaling() {
        // xterm's initc sends component * 255 / 1000 (truncated): every byte must come back exactly.
        for value in 0...255 {
            let (r, _, _) = PaletteAllocator.cursesComponents(RGB(r: UInt8(value), g: 0, b: 0))
            #expect((0...1000).contains(r))
            #expect(r * 255 / 1000 == value)
        }
    }

    @Test func redefinitionNeedsAbilityAWayBackAndConsent() {
        func decide(depth: ColorDepth = .indexed256, colors: Int = 256, direct: Bool = false, canChange: Bool = true,
                    canRestore: Bool = true, keep: Bool = false, environment: [String: String] = [:]) -> Bool {
            CursesTerminal.shouldRedefinePalette(
                depth: depth, colors: colors, directColor: direct, canChange: canChange, canRestore: canRestore,
                keepPalette: keep, environment: environment)
        }
        #expect(decide())
        #expect(decide(depth: .truecolor), "COLORTERM=truecolor on a 256-colour terminfo")
        #expect(!decide(canChange: false))
        #expect(!decide(canRestore: false), "no `oc`: the palette could not be given back")
        #expect(!decide(keep: true))
        #expect(!decide(environment: ["TOKENSCOPE_KEEP_PALETTE": "1"]))
        #expect(decide(environment: ["TOKENSCOPE_KEEP_PALETTE": "0"]))
        #expect(!decide(colors: 16), "16 colours: every slot is one of the user's")
        #expect(!decide(depth: .monochrome))
        #expect(!decide(colors: 0x100_0000, direct: true), "direct colour needs no palette")
    }
}
