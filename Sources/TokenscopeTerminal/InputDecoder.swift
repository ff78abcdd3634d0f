import Foundation
import TokenscopeUI

// MARK: - Input decoding

/// Turns the characters and function keys curses reads into explorer actions, and recognises
/// bracketed paste (`ESC [ 200 ~` … `ESC [ 201 ~`), so pasted text arrives as one `.paste` action —
/// with its newlines and tabs kept as text — instead of as keys that would run commands.
///
/// The backend reads bytes, not characters, and this decodes them (``UTF8Assembler``): bytes that
/// are not UTF-8 become U+FFFD and the input after them is kept (curses' `get_wch` returned an error
/// for them and lost the rest of a paste). Control characters inside a paste are kept as text; the
/// prompt editor shows them as control pictures (␛).
///
/// Terminal-free so it can be tested: the backend feeds it what `wgetch` returns and calls
/// `flush()` when no more input is waiting.
public struct InputDecoder: Sendable {
    /// One thing read from curses.
    public enum Input: Sendable {
        /// One byte of input (`wgetch` returned a value below `KEY_MIN`).
        case byte(UInt8)
        /// A whole character (from a source that decoded it already).
        case scalar(UInt32)
        /// A function key or event already turned into actions (arrows, mouse, resize).
        case events([InputEvent])
    }

    /// The longest paste kept, in characters; the rest is dropped and the paste says so.
    public static let pasteLimit = 100_000

    static let pasteStart: [UInt32] = Array("\u{1B}[200~".unicodeScalars.map(\.value))
    static let pasteEnd: [UInt32] = Array("\u{1B}[201~".unicodeScalars.map(\.value))

    /// Characters that may start a paste marker, held until they match or cannot.
    private var pending: [UInt32] = []  // (marker prefix)
    /// The paste being collected, when inside one.
    private var paste: [Unicode.Scalar]?
    private var pasteDropped = 0
    /// Ill-formed UTF-8 sequences in the paste, each kept as U+FFFD.
    private var pasteReplaced = 0
    /// The bytes of a character begun but not finished.
    private var utf8 = UTF8Assembler()

    /// A decoder outside any paste.
    public init() {}

    /// Whether a paste has started and not yet ended.
    public var isInPaste: Bool { paste != nil }

    /// Whether input is held waiting for more: an open paste or a character's first bytes.
    public var isWaiting: Bool { paste != nil || utf8.isHolding }

    // MARK: Feeding

    /// Decodes one input; returns the actions it completes (often none while a marker or a paste is
    /// being collected).
    public mutating func feed(_ input: Input) -> [InputEvent] {
        switch input {
        case .events(let actions):
            // A function key cannot be part of a marker: what was held is ordinary input.
            if paste != nil { return actions.filter(Self.passesThroughPaste) }
            return flushPending() + actions
        case .scalar(let value):
            return feed(scalar: value)
        case .byte(let byte):
            return decode(utf8.feed(byte))
        }
    }

    /// Called when no more input is waiting: held characters that were not a marker become keys.
    /// A paste, and a character whose first bytes came, stay open (input can arrive in pieces)
    /// until `abandon()`.
    public mutating func flush() -> [InputEvent] {
        if paste != nil || utf8.isHolding { return [] }
        return flushPending()
    }

    /// Ends what waits for input that never came: an unfinished character becomes U+FFFD, and an
    /// unterminated paste (the end marker never came) is delivered with what was collected.
    public mutating func abandon() -> [InputEvent] {
        // What was held as a possible marker is ordinary input (inside a paste: pasted text).
        let events = decode(utf8.finish()) + flushPending()
        return paste == nil ? events : events + finishPaste()
    }

    // MARK: Private

    /// Decoded bytes' results: a scalar goes on to the marker and paste logic; an ill-formed
    /// sequence becomes U+FFFD (it cannot be part of a marker, so what was held goes out first).
    private mutating func decode(_ outputs: [UTF8Assembler.Output]) -> [InputEvent] {
        var events: [InputEvent] = []
        for output in outputs {
            switch output {
            case .scalar(let scalar):
                events += feed(scalar: scalar.value)
            case .invalid:
                events += flushPending()
                if paste != nil { pasteReplaced += 1 }
                events += deliver(0xFFFD)
            }
        }
        return events
    }

    private mutating func feed(scalar value: UInt32) -> [InputEvent] {
        let marker = paste == nil ? Self.pasteStart : Self.pasteEnd
        pending.append(value)
        if pending == marker {
            pending = []
            if paste == nil {
                paste = []
                pasteDropped = 0
                pasteReplaced = 0
                return []
            }
            return finishPaste()
        }
        if marker.starts(with: pending) { return [] }
        // Not a marker: the held characters are ordinary input (the last one may start a new marker).
        var held = pending
        pending = []
        var output: [UInt32] = []
        while let first = held.first {
            if marker.starts(with: held) { pending = held; break }
            output.append(first)
            held.removeFirst()
        }
        return output.flatMap { deliver($0) }
    }

    private mutating func flushPending() -> [InputEvent] {
        let held = pending
        pending = []
        return held.flatMap { deliver($0) }
    }

    private mutating func deliver(_ value: UInt32) -> [InputEvent] {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        if paste != nil {
            if paste?.count ?? 0 < Self.pasteLimit { paste?.append(scalar) } else { pasteDropped += 1 }
            return []
        }
        return Self.events(for: scalar)
    }

    private mutating func finishPaste() -> [InputEvent] {
        let scalars = paste ?? []
        paste = nil
        var text = String(String.UnicodeScalarView(scalars))
        // Terminals send line ends in a paste as CR; the prompt keeps them as newlines.
        text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return [.paste(text, dropped: pasteDropped, replaced: pasteReplaced)]
    }

    /// Inside a paste only resizes and interrupts pass; stray function keys are dropped.
    private static func passesThroughPaste(_ action: InputEvent) -> Bool {
        if case .resize = action { return true }
        return false
    }

    /// A typed character as an action: Enter, Escape, Tab, Backspace, Ctrl-letter or a character.
    public static func events(for scalar: Unicode.Scalar) -> [InputEvent] {
        switch scalar.value {
        case 10, 13: return [.key(.enter)]
        case 27: return [.key(.escape)]
        case 9: return [.key(.tab)]
        case 8, 127: return [.key(.backspace)]
        case 1...26:
            guard let letter = Unicode.Scalar(scalar.value + 96) else { return [] }
            return [.key(.control(Character(letter)))]
        case 0..<32: return []
        default: return [.key(.character(Character(scalar)))]
        }
    }
}
