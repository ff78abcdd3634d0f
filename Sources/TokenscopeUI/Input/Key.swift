// MARK: - Input

/// A key press, decoded by the backend (or parsed from `--keys` for headless runs).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab
    /// Ctrl plus a letter (Ctrl-C is `.control("c")`).
    case control(Character)

    /// Parses a `--keys` script: plain characters, and names in angle brackets (`<up>`, `<enter>`,
    /// `<esc>`, `<space>`, `<bs>`, `<tab>`, `<c-w>`, `<lt>` for a literal `<`), case-insensitive.
    /// A `<` that does not open a key name is typed. Linear in the script: no `<` looks further
    /// ahead than the longest name (`unknownName(in:)` says whether a bracketed word is a typo).
    public static func parse(_ script: String) -> [Key] {
        let characters = Array(script)
        var keys: [Key] = []
        keys.reserveCapacity(characters.count)
        var i = 0
        while i < characters.count {
            if characters[i] == "<", let close = closingBracket(characters, after: i),
               let key = named(String(characters[(i + 1)..<close]).lowercased()) {
                keys.append(key)
                i = close + 1
                continue
            }
            keys.append(characters[i] == "\n" ? .enter : .character(characters[i]))
            i += 1
        }
        return keys
    }

    /// The first bracketed word of `script` shaped like a key name (letters, digits and `-`) that
    /// is not one (`<Spcae>`), or nil: a typo would otherwise be typed as letters.
    public static func unknownName(in script: String, allowing extra: Set<String> = []) -> String? {
        let characters = Array(script)
        var i = 0
        while i < characters.count {
            if characters[i] == "<", let close = closingBracket(characters, after: i) {
                let name = String(characters[(i + 1)..<close])
                if named(name.lowercased()) == nil && !extra.contains(name.lowercased()) { return name }
                i = close + 1
                continue
            }
            i += 1
        }
        return nil
    }

    /// Every key name a script may use, for error messages.
    public static let knownNames = "<Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <Enter> <Esc> <Tab> <S-Tab> <BS> <Del> <Space> <C-x> <lt>"

    /// Longer than any key name (`pagedown`, `backspace`).
    static let longestName = 12

    /// The index of the `>` closing a name that starts after `open`: letters, digits and `-` only,
    /// at most ``longestName`` of them; nil when there is none.
    static func closingBracket(_ characters: [Character], after open: Int) -> Int? {
        var j = open + 1
        while j < characters.count, j - open <= longestName + 1 {
            let c = characters[j]
            if c == ">" { return j > open + 1 ? j : nil }
            guard c.isASCII, c.isLetter || c.isNumber || c == "-" else { return nil }
            j += 1
        }
        return nil
    }

    static func named(_ name: String) -> Key? {
        switch name {
        case "up": .up
        case "down": .down
        case "left": .left
        case "right": .right
        case "home": .home
        case "end": .end
        case "pgup", "pageup": .pageUp
        case "pgdn", "pagedown": .pageDown
        case "enter", "cr", "return": .enter
        case "esc", "escape": .escape
        case "bs", "backspace": .backspace
        case "del", "delete": .delete
        case "tab": .tab
        case "s-tab", "backtab": .backTab
        case "space": .character(" ")
        case "lt": .character("<")
        default:
            if name.hasPrefix("c-"), name.count == 3, let letter = name.last, letter.isLetter { .control(letter) } else { nil }
        }
    }
}
