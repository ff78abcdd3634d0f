import TokenscopeUI

// MARK: - Palette redefinition

/// Gives exact theme colours on a 256-colour terminal that can redefine its palette
/// (`can_change_color`, e.g. xterm-256color) but has no direct-colour terminfo: each RGB colour the
/// explorer draws gets one of the palette slots 16–255, which the backend redefines with
/// `init_extended_color`. Slots 0–15 — the user's own ANSI colours — are never touched.
///
/// A colour prefers the slot whose standard xterm colour is nearest to it, so on a terminal that
/// claims the ability but ignores the redefinition the picture is still the nearest-256 one. When
/// every slot is taken, a colour shares the slot whose (new) colour is nearest.
struct PaletteAllocator: Sendable {
    /// A 24-bit colour.
    struct RGB: Hashable, Sendable {
        var r: UInt8, g: UInt8, b: UInt8
    }

    /// The redefinable slots.
    static let slots: ClosedRange<Int> = 16...255

    /// The colour each slot shows now: the xterm default until it is redefined.
    private var current: [RGB]  // (slot - 16)
    private var taken: [Bool]  // (slot - 16)
    private var assigned: [RGB: Int32] = [:]

    /// A palette with every slot at its xterm default.
    init() {
        current = Self.slots.map { slot in
            let (r, g, b) = Palette.rgb(of: UInt8(slot))
            return RGB(r: r, g: g, b: b)
        }
        taken = Array(repeating: false, count: Self.slots.count)
    }

    /// How many slots have been redefined.
    var redefinedCount: Int { assigned.count }

    /// The slot for `color`; `redefine` is true when the caller must now set that slot to `color`.
    mutating func slot(for color: RGB) -> (slot: Int32, redefine: Bool) {
        if let slot = assigned[color] { return (slot, false) }
        let preferred = Int(Palette.nearest256(color.r, color.g, color.b))
        let choice: Int? = if Self.slots.contains(preferred) && !taken[preferred - 16] {
            preferred
        } else {
            Self.nearest(to: color, among: Self.slots.filter { !taken[$0 - 16] }, colors: current)
        }
        guard let slot = choice else {
            // Every slot holds a theme colour: share the nearest.
            let shared = Self.nearest(to: color, among: Array(Self.slots), colors: current) ?? preferred
            return (Int32(shared), false)
        }
        taken[slot - 16] = true
        current[slot - 16] = color
        assigned[color] = Int32(slot)
        return (Int32(slot), true)
    }

    /// Curses colour components run 0…1000; rounded up, so the terminfo `initc` strings, which
    /// scale back with `* 255 / 1000` and truncate, send exactly the original byte.
    static func cursesComponents(_ color: RGB) -> (Int32, Int32, Int32) {
        func scale(_ v: UInt8) -> Int32 { (Int32(v) * 1000 + 254) / 255 }
        return (scale(color.r), scale(color.g), scale(color.b))
    }

    private static func nearest(to color: RGB, among slots: [Int], colors: [RGB]) -> Int? {
        slots.min { distance(colors[$0 - 16], color) < distance(colors[$1 - 16], color) }
    }

    private static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = Int(a.r) - Int(b.r), dg = Int(a.g) - Int(b.g), db = Int(a.b) - Int(b.b)
        return dr * dr + dg * dg + db * db
    }
}
