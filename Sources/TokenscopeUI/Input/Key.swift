// MARK: - Input

/// A key press, decoded by the backend (or parsed from `--keys` for headless runs).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab
    /// Ctrl plus a letter (Ctrl-C is `.control("c")`).
    case control(Character)

    /// Parses a `--keys` script: plain characters, and names in angle brackets (`<up>`, `<enter>`,
    /// `<esc>`, `<space>`, `<bs>`, `<tab>`, `<c-w>`, `<lt>` for a literal `<`).
    public static func parse(_ script: String) -> [Key] {
        var keys: [Key] = []
        var rest = Substring(script)
        while let first = rest.first {
            if first == "<", let close = rest.firstIndex(of: ">") {
                let name = rest[rest.index(after: rest.startIndex)..<close].lowercased()
                if let key = named(name) {
                    keys.append(key)
                    rest = rest[rest.index(after: close)...]
                    continue
                }
            }
            keys.append(first == "\n" ? .enter : .character(first))
            rest = rest.dropFirst()
        }
        return keys
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
            if name.hasPrefix("c-"), name.count == 3, let letter = name.last { .control(letter) } else { nil }
        }
    }
}
