import ArgumentParser
import TokenscopeUI

// MARK: - The --keys script of render and bench

/// Parses `--keys`: plain characters are typed as they are, key names go in angle brackets
/// (`<Up>`, `<Enter>`, `<Space>`, `<C-w>`, `<lt>` for a literal `<`), case-insensitive.
///
/// A bracketed word that is not a key name (`<Spcae>`) is an error naming it, never typed as
/// letters. A `<` not followed by a name and `>` (as in `a < b`) is typed. Linear in the script:
/// a name is at most ``longestName`` characters, so no `<` looks further ahead than that.
enum KeyScript {
    /// Longer than any key name (`pagedown`, `backspace`).
    static let longestName = 12

    /// The keys of `script`, or a `ValidationError` naming the first unknown key name.
    static func parse(_ script: String) throws -> [Key] {
        let characters = Array(script)
        var keys: [Key] = []
        keys.reserveCapacity(characters.count)
        var i = 0
        while i < characters.count {
            let character = characters[i]
            if character == "<", let close = closingBracket(characters, after: i) {
                let name = String(characters[(i + 1)..<close])
                guard let key = named(name.lowercased()) else {
                    throw ValidationError("--keys: <\(name)> is not a key name; known: \(knownNames); <lt> types a literal '<'")
                }
                keys.append(key)
                i = close + 1
                continue
            }
            keys.append(character == "\n" ? .enter : .character(character))
            i += 1
        }
        return keys
    }

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

    static let knownNames = "<Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <Enter> <Esc> <Tab> <S-Tab> <BS> <Del> <Space> <C-x> <lt>"

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
