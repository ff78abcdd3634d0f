import CNcursesw
import Foundation
import TokenscopeUI

// MARK: - Errors

/// Why the explorer could not take over the terminal.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
    /// terminfo has no entry for this `TERM`.
    case unknownTerminal(String)
    /// The terminal cannot move its cursor (TERM=dumb), so a full screen cannot be drawn.
    case cannotAddressCursor(String)

    public var description: String {
        switch self {
        case .unknownTerminal(let term):
            let name = term.isEmpty ? "TERM is not set" : "terminal type '\(term)' is not in the terminfo database"
            return "cannot start the explorer: \(name); set TERM to one this machine knows (for example "
                + "TERM=xterm-256color) or install the ncurses-term package; headless commands such as "
                + "render work without a terminal"
        case .cannotAddressCursor(let term):
            return "cannot start the explorer: terminal type '\(term)' cannot move the cursor, so a full screen cannot be "
                + "drawn; set TERM to a full-screen terminal (for example TERM=xterm-256color), or use the headless "
                + "commands (render, tokenize, predict, generate, ...)"
        }
    }
}

// MARK: - The ncurses backend

/// Flushes canvases to the terminal through ncursesw and reads keys, mouse and resizes. The terminal
/// is restored on quit, on SIGINT/SIGTERM/SIGHUP/SIGQUIT and on errors.
public final class CursesTerminal {
    /// The theme chosen from the terminal's colour support.
    public let theme: Theme
    private var previous: Canvas?
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private let colorCount: Int32
    private let directColor: Bool
    /// Set when theme colours are shown exactly by redefining palette slots 16–255.
    private var palette: PaletteAllocator?
    private var open = true
    private var decoder = InputDecoder()
    private var lastInput = ContinuousClock.now
    /// Whether bracketed paste was switched on (and so must be switched off on exit).
    private let bracketedPaste: Bool

    struct PairKey: Hashable { let foreground: Int32; let background: Int32 }

    /// Whether standard input and output are terminals.
    public static var hasTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Starts curses (locale first, raw keys, no echo, keypad, mouse) and builds `themeName` for the
    /// colours the terminal has (truecolor, 256, 16, 8 or none). On a 256-colour terminal that can
    /// redefine its palette and restore it (`ccc` and `oc` in terminfo), theme colours are shown
    /// exactly by redefining slots 16–255, unless `keepPalette`; the palette is restored on exit.
    /// Throws `TerminalError.unknownTerminal` when terminfo has no entry for `TERM`.
    public init(noColor: Bool, themeName: Theme.Name = .dark, keepPalette: Bool = false) throws(TerminalError) {
        ts_set_locale()
        guard ts_start() != ts_err() else {
            open = false
            throw .unknownTerminal(ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        guard ts_can_address_cursor() != 0 else {
            _ = endwin()
            open = false
            throw .cannotAddressCursor(ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        raw()
        noecho()
        _ = keypad(ts_stdscr(), true)
        ts_keep_eighth_bit()
        _ = curs_set(0)
        _ = set_escdelay(25)
        _ = mousemask(ts_mouse_mask(), nil)
        let environment = ProcessInfo.processInfo.environment
        // COLORS is only known after start_color(), so colour is started first unless it is refused
        // (--no-color, NO_COLOR, TERM=dumb) or the terminal has none, then the depth is detected.
        var depth = ColorDepth.detect(environment: environment, colors: has_colors() ? nil : 0, noColor: noColor)
        if depth != .monochrome {
            _ = start_color()
            _ = use_default_colors()
            depth = ColorDepth.detect(environment: environment, colors: Int(ts_colors()), noColor: noColor)
        }
        colorCount = depth == .monochrome ? 0 : ts_colors()
        // A direct-colour terminfo (xterm-direct) numbers colours as packed RGB.
        directColor = colorCount >= 0x100_0000
        if directColor { depth = .truecolor }
        let redefine = Self.shouldRedefinePalette(
            depth: depth, colors: Int(colorCount), directColor: directColor, canChange: ts_can_change_color() != 0,
            canRestore: ts_has_orig_colors() != 0, keepPalette: keepPalette, environment: environment)
        if redefine {
            palette = PaletteAllocator()
            depth = .truecolor
        }
        theme = Theme(themeName, depth: depth)
        bracketedPaste = Self.supportsBracketedPaste(term: environment["TERM"])
        if bracketedPaste { Self.writeControl("\u{1B}[?2004h") }
        CursesTerminal.installSignalHandlers()
    }

    /// Gives the terminal back; safe to call more than once.
    public func close() {
        guard open else { return }
        open = false
        if let palette, palette.redefinedCount > 0 { ts_reset_palette() }
        _ = endwin()
        if bracketedPaste { Self.writeControl("\u{1B}[?2004l") }
    }

    /// Whether to redefine palette slots: only with 256 or more palette colours (not direct colour),
    /// a terminal that says it can (`ccc`) and a terminfo that can give the palette back (`oc`), and
    /// not when the user asked to keep the palette (`--keep-palette`, `TOKENSCOPE_KEEP_PALETTE`).
    static func shouldRedefinePalette(
        depth: ColorDepth, colors: Int, directColor: Bool, canChange: Bool, canRestore: Bool, keepPalette: Bool,
        environment: [String: String]
    ) -> Bool {
        guard depth != .monochrome, !directColor, colors >= 256, canChange, canRestore, !keepPalette else { return false }
        return environment["TOKENSCOPE_KEEP_PALETTE"].map { $0.isEmpty || $0 == "0" } ?? true
    }

    /// Bracketed paste (DEC private mode 2004) is an xterm extension; the Linux console and dumb
    /// terminals are not sent it.
    static func supportsBracketedPaste(term: String?) -> Bool {
        guard let term, !term.isEmpty else { return false }
        return term != "dumb" && !term.hasPrefix("linux") && !term.hasPrefix("vt")
    }

    /// Writes a control sequence straight to the terminal, outside curses' screen model.
    private static func writeControl(_ sequence: String) {
        var bytes = Array(sequence.utf8)
        _ = write(STDOUT_FILENO, &bytes, bytes.count)
    }

    deinit { close() }

    /// Terminal size in cells.
    public var size: (width: Int, height: Int) { (Int(ts_cols()), Int(ts_lines())) }

    /// Draws the cells that changed since the last frame.
    public func draw(_ canvas: Canvas) {
        let changes = canvas.changes(since: previous)
        if previous?.width != canvas.width || previous?.height != canvas.height { _ = erase() }
        for change in changes {
            guard let character = change.cell.character else { continue }
            var wide = Array(String(character).unicodeScalars.prefix(7).map { wchar_t(bitPattern: $0.value) })
            wide.append(0)
            let (attributes, pair) = attributes(of: change.cell.style)
            _ = ts_put_cell(Int32(change.y), Int32(change.x), wide, attributes, pair)
        }
        previous = canvas
        _ = refresh()
    }

    /// Forces a full redraw on the next frame (after a resize).
    public func invalidate() {
        previous = nil
        _ = clearok(ts_stdscr(), true)
    }

    private func attributes(of style: Style) -> (attr_t, Int32) {
        var attributes = ts_a_normal()
        if style.bold { attributes |= ts_a_bold() }
        if style.dim { attributes |= ts_a_dim() }
        if style.reverse { attributes |= ts_a_reverse() }
        if style.underline { attributes |= ts_a_underline() }
        guard colorCount > 0 else { return (attributes, 0) }
        let key = PairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return (attributes, 0) }
        if let pair = pairs[key] { return (attributes, pair) }
        guard nextPair < ts_color_pairs() else { return (attributes, 0) }
        let pair = nextPair
        nextPair += 1
        _ = ts_init_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        return (attributes, pair)
    }

    /// A colour as a curses colour number, falling back to the nearest of 16 or 8 colours.
    private func colorNumber(_ color: Color) -> Int32 {
        if palette != nil { return paletteNumber(color) }
        switch color {
        case .default: return -1
        case .indexed(let index):
            if directColor && index >= 8 {
                let (r, g, b) = Palette.rgb(of: index)
                return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
            }
            if colorCount >= 256 || Int32(index) < colorCount { return Int32(index) }
            return Self.basicColor(index, colors: colorCount)
        case .rgb(let r, let g, let b):
            if directColor { return Int32(r) << 16 | Int32(g) << 8 | Int32(b) }
            let index = Palette.nearest256(r, g, b)
            return colorCount >= 256 ? Int32(index) : Self.basicColor(index, colors: colorCount)
        }
    }

    /// A colour as a redefined palette slot (indices 0–15 stay the user's ANSI colours).
    private func paletteNumber(_ color: Color) -> Int32 {
        let rgb: PaletteAllocator.RGB
        switch color {
        case .default: return -1
        case .indexed(let index):
            if index < 16 { return Int32(index) }
            let (r, g, b) = Palette.rgb(of: index)
            rgb = .init(r: r, g: g, b: b)
        case .rgb(let r, let g, let b):
            rgb = .init(r: r, g: g, b: b)
        }
        guard var allocator = palette else { return -1 }
        let (slot, redefine) = allocator.slot(for: rgb)
        palette = allocator
        if redefine {
            let (r, g, b) = PaletteAllocator.cursesComponents(rgb)
            _ = ts_init_color(slot, r, g, b)
        }
        return slot
    }

    /// Maps a 256-colour index to the nearest of the 8 (or 16) basic colours by its RGB.
    static func basicColor(_ index: UInt8, colors: Int32) -> Int32 {
        if Int32(index) < colors { return Int32(index) }
        let (r, g, b) = Palette.rgb(of: index)
        return Int32(Palette.nearest(r, g, b, count: colors >= 16 ? 16 : 8))
    }

    // MARK: Input

    /// Waits up to `milliseconds` for input and returns it as actions (possibly none). Input is read
    /// as bytes and decoded by ``InputDecoder`` (invalid UTF-8 becomes U+FFFD). Input that is
    /// already waiting (a paste, key repeat) is read in the same call, so typing ahead costs one frame
    /// rather than one per character; a bracketed paste becomes one `.paste` action.
    public func read(timeout milliseconds: Int32) -> [InputEvent] {
        var actions: [InputEvent] = []
        guard let first = readOne(timeout: milliseconds) else {
            // A paste whose end marker never came, or a character whose last bytes never came, is
            // delivered after a second of silence.
            if decoder.isWaiting, ContinuousClock.now - lastInput > .seconds(1) { return decoder.abandon() }
            return []
        }
        lastInput = .now
        actions += decoder.feed(first)
        var count = 1
        while count < 65_536, actions.count < 4096, let next = readOne(timeout: 0) {
            actions += decoder.feed(next)
            count += 1
        }
        return actions + decoder.flush()
    }

    private func readOne(timeout milliseconds: Int32) -> InputDecoder.Input? {
        timeout(milliseconds)
        var key: Int32 = 0
        let result = ts_get_byte(&key)
        if result == ts_err() { return nil }
        guard result == ts_key_code_yes() else { return .byte(UInt8(truncatingIfNeeded: key)) }
        let code = Int32(key)
        switch code {
        case ts_key_resize():
            invalidate()
            return .events([.resize(width: size.width, height: size.height)])
        case ts_key_mouse():
            var x: Int32 = 0, y: Int32 = 0
            var state: mmask_t = 0
            guard ts_get_mouse(&x, &y, &state) == 0 else { return .events([]) }
            if state & ts_button4() != 0 { return .events([.scroll(-1)]) }
            if state & ts_button5() != 0 { return .events([.scroll(1)]) }
            if state & ts_button1() != 0 { return .events([.click(x: Int(x), y: Int(y))]) }
            return .events([])
        case ts_key_up(): return .events([.key(.up)])
        case ts_key_down(): return .events([.key(.down)])
        case ts_key_left(): return .events([.key(.left)])
        case ts_key_right(): return .events([.key(.right)])
        case ts_key_home(): return .events([.key(.home)])
        case ts_key_end(): return .events([.key(.end)])
        case ts_key_ppage(): return .events([.key(.pageUp)])
        case ts_key_npage(): return .events([.key(.pageDown)])
        case ts_key_backspace(): return .events([.key(.backspace)])
        case ts_key_dc(): return .events([.key(.delete)])
        case ts_key_enter(): return .events([.key(.enter)])
        case ts_key_btab(): return .events([.key(.backTab)])
        default: return .events([])
        }
    }

    // MARK: Signals

    /// The signal (SIGINT, SIGTERM, SIGHUP or SIGQUIT) that asked the explorer to stop, or 0: the
    /// main loop quits, restores the terminal and exits with status 128 + the signal, as shells expect.
    nonisolated(unsafe) public static var interrupted: sig_atomic_t = 0

    static func installSignalHandlers() {
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            _ = Foundation.signal(signal) { CursesTerminal.interrupted = $0 }
        }
    }
}
