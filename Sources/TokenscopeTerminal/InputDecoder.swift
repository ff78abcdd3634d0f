import Foundation
import TokenscopeUI

// MARK: - Input decoding

/// Turns the characters and function keys curses reads into explorer actions, and recognises
/// bracketed paste (`ESC [ 200 ~` … `ESC [ 201 ~`), so pasted text arrives as one `.paste` action —
/// with its newlines and tabs kept as text — instead of as keys that would run commands.
///
/// Terminal-free so it can be tested: the backend feeds it what `get_wch` returns and calls
/// `flush()` when no more input is waiting.
public struct InputDecoder: Sendable {
    /// One thing read from curses.
    public enum Input: Sendable {
        /// A character (`get_wch` returned OK).
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

    /// A decoder outside any paste.
    public init() {}

    /// Whether a paste has started and not yet ended.
    public var isInPaste: Bool { paste != nil }

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
        }
    }

    /// Called when no more input is waiting: held characters that were not a marker become keys.
    /// A paste stays open (a long paste can arrive in pieces) until `abandonPaste()`.
    public mutating func flush() -> [InputEvent] {
        if paste != nil { return [] }
        return flushPending()
    }

    /// Ends an unterminated paste (the end marker never came): what was collected is delivered.
    public mutating func abandonPaste() -> [InputEvent] {
        guard paste != nil else { return [] }
        pending = []
        return finishPaste()
    }

    // MARK: Private

    private mutating func feed(scalar value: UInt32) -> [InputEvent] {
        let marker = paste == nil ? Self.pasteStart : Self.pasteEnd
        pending.append(value)
        if pending == marker {
            pending = []
            if paste == nil {
                paste = []
                pasteDropped = 0
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
        return [.paste(text, dropped: pasteDropped)]
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
