import TokenscopeUI

// MARK: - The prompt editor

/// A one-line, UTF-8-aware text editor for the prompt, with history.
public struct PromptEditor: Sendable, Equatable {
    /// The text being edited, as characters (graphemes), so the cursor never splits one.
    public private(set) var characters: [Character]
    /// Cursor position in characters.
    public private(set) var cursor: Int
    var history: [String]
    var historyIndex: Int

    /// Opens the editor on `text` with earlier prompts in `history`.
    public init(text: String, history: [String] = []) {
        characters = Array(text)
        cursor = characters.count
        self.history = history
        historyIndex = history.count
    }

    /// The text.
    public var text: String { String(characters) }

    /// Inserts text (a key press or a long paste) at the cursor, as it is: newlines, tabs and other
    /// control characters (an ESC in a paste) stay, since they are text the tokenizer reads; the
    /// editor shows them as pictures (``displayText``).
    public mutating func insert(_ text: String) {
        let added = Array(text)
        characters.insert(contentsOf: added, at: cursor)
        cursor += added.count
    }

    /// The text as the editor shows it: a newline as ↵, a tab as ⇥, other control characters as
    /// their control pictures (␛, ␀, ␡), one column per character so the cursor stays in place.
    public var displayText: String {
        var out = ""
        for character in characters {
            if character == "\n" || character == "\r\n" { out += "↵"; continue }
            if character == "\t" { out += "⇥"; continue }
            var shown = ""
            for scalar in character.unicodeScalars { shown += Self.controlPicture(of: scalar) ?? String(scalar) }
            out += shown
        }
        return out
    }

    /// How a control character is shown (␛, ␀, ␡, ⍰ for C1: ``Canvas/controlPicture(of:)``); nil
    /// for newlines, tabs and everything that is not a control character.
    public static func controlPicture(of scalar: Unicode.Scalar) -> String? {
        Canvas.controlPicture(of: scalar).map(String.init)
    }

    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    /// Deletes the word before the cursor (Ctrl-W).
    public mutating func deleteWord() {
        var start = cursor
        while start > 0 && characters[start - 1].isWhitespace { start -= 1 }
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    public mutating func moveHome() { cursor = 0 }
    public mutating func moveEnd() { cursor = characters.count }

    /// Applies a text-editing key (typing, deletion, cursor and word movement); returns false for
    /// keys that are not editing keys, which the caller handles (Enter, Esc, history, …).
    public mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .character(let c): insert(String(c))
        case .backspace: deleteBackward()
        case .delete: deleteForward()
        case .control("w"): deleteWord()
        case .control("a"), .home: moveHome()
        case .control("e"), .end: moveEnd()
        case .left: moveLeft()
        case .right: moveRight()
        case .control("b"): moveWordLeft()
        case .control("f"): moveWordRight()
        default: return false
        }
        return true
    }

    public mutating func moveWordLeft() {
        while cursor > 0 && characters[cursor - 1].isWhitespace { cursor -= 1 }
        while cursor > 0 && !characters[cursor - 1].isWhitespace { cursor -= 1 }
    }

    public mutating func moveWordRight() {
        while cursor < characters.count && !characters[cursor].isWhitespace { cursor += 1 }
        while cursor < characters.count && characters[cursor].isWhitespace { cursor += 1 }
    }

    /// Steps through earlier prompts (↑ = older).
    public mutating func recall(older: Bool) {
        guard !history.isEmpty else { return }
        historyIndex = older ? max(0, historyIndex - 1) : min(history.count, historyIndex + 1)
        characters = historyIndex < history.count ? Array(history[historyIndex]) : []
        cursor = characters.count
    }
}
