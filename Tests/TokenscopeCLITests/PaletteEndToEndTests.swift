import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Colour in a real terminal (tmux), from the bytes the explorer writes

/// Records what the explorer writes to its terminal (`pipe-pane`) under different terminfo entries:
/// colours are really used, the palette is redefined only where the terminal can (`ccc`) and can be
/// given back (`oc`), never in slots 0–15, and it is given back on quit.
@Suite("Palette end to end", .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct PaletteEndToEndTests {
    /// Runs the explorer with `environment` and `arguments`, opens the attention view (a heatmap),
    /// quits, and returns everything it wrote.
    static func record(term: String, arguments: String = "") throws -> String {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-palette-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let session = try TmuxSession(width: 120, height: 40, environment: ["PS1": "$ "])
        defer { session.kill() }
        // The pipe is in place before the explorer starts, so its first bytes are recorded too.
        try session.tmux(["pipe-pane", "-o", "-t", session.name, "cat >> '\(log)'"])
        // The test runner's own NO_COLOR or COLORTERM must not decide what is being tested.
        try session.type("env -u NO_COLOR -u COLORTERM TERM=\(term) '\(binary)' \(arguments) 'The capital of France is'; echo palette-$((40+2))-done")
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)
        try session.send("3")
        // The selected row's text comes with the layer's attention, so the heatmap is on screen.
        try session.waitFor(text: "attends to", timeout: 20)
        try session.send("q")
        try session.waitFor(text: "palette-42-done", timeout: 20)
        // tmux writes to the pipe on its own schedule: poll the file for the shell's last line.
        let deadline = Date().addingTimeInterval(20)
        var output = ""
        repeat {
            output = (try? Data(contentsOf: URL(fileURLWithPath: log))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if output.contains("palette-42-done\r") || output.contains("palette-42-done\n") { break }
            usleep(20_000)
        } while Date() < deadline
        try session.tmux(["pipe-pane", "-t", session.name])
        return output
    }

    /// The palette slots the output redefines (`ESC ] 4 ; slot ; rgb:…`).
    static func redefinedSlots(_ output: String) -> [Int] {
        output.components(separatedBy: "\u{1B}]4;").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }

    @Test func xtermRedefinesSlotsAboveFifteenAndGivesThePaletteBack() throws {
        let output = try Self.record(term: "xterm-256color")
        let slots = Self.redefinedSlots(output)
        #expect(slots.count > 30, "the header, accents and the heatmap's ramp are defined")
        #expect(slots.allSatisfy { (16...255).contains($0) }, "the user's 16 colours are never changed")
        #expect(output.contains("]4;24;rgb:00/5F/87"), "the dark theme's header colour, exactly")
        #expect(output.contains("\u{1B}[48;5;"), "cells are drawn in palette colours")
        let lastDefinition = try #require(output.range(of: "\u{1B}]4;", options: .backwards))
        let reset = try #require(output.range(of: "\u{1B}]104", options: .backwards), "oc was not sent on quit")
        #expect(reset.lowerBound > lastDefinition.lowerBound)
    }

    @Test func keepPaletteAndTerminalsWithoutTheAbilityOnlyUseThePalette() throws {
        for (term, arguments) in [("xterm-256color", "--keep-palette"), ("tmux-256color", "")] {
            let output = try Self.record(term: term, arguments: arguments)
            #expect(Self.redefinedSlots(output).isEmpty, "\(term) \(arguments) redefined the palette")
            #expect(output.contains("\u{1B}[48;5;"), "\(term) \(arguments): no 256-colour cells")
        }
    }

    @Test func eightColourTerminalsGetTheNearestBasicColours() throws {
        // xterm: 8 colours; linux: 8 colours, and it can change them (`ccc`), but those 8 are the user's.
        for term in ["xterm", "linux"] {
            let output = try Self.record(term: term)
            #expect(Self.redefinedSlots(output).isEmpty && !output.contains("\u{1B}]P"), "\(term) redefined a colour")
            #expect(!output.contains("\u{1B}[48;5;") && !output.contains("\u{1B}[38;5;"), "\(term) got 256-colour cells")
            #expect(output.range(of: "\u{1B}\\[(0;)?(1;)?4[0-7]m", options: .regularExpression) != nil, "\(term): no basic background colours")
        }
    }

    @Test func noColorWritesNoColours() throws {
        let output = try Self.record(term: "xterm-256color", arguments: "--no-color")
        #expect(Self.redefinedSlots(output).isEmpty)
        #expect(!output.contains("\u{1B}[38;5;") && !output.contains("\u{1B}[48;5;"))
        #expect(output.contains("\u{1B}[0;7m") || output.contains("\u{1B}[7m"), "reverse video stands in for colour")
    }
}
