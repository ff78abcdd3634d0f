// MARK: - Input scripts

/// The text form of what a user does — keys, clicks, wheel steps, pastes, resizes — read by
/// `render --keys` and written by `--record-keys`, so a recorded session replays to the same
/// screen.
///
/// Syntax: plain characters are typed; special keys go in angle brackets, case-insensitive (`<Up>`,
/// `<Enter>`, `<Space>`, `<C-w>`, `<lt>` for `<`; see `Key.parse`); `<click X Y>` is a left click
/// at column X, row Y (from 0); `<wheel up>`/`<wheel down>`; `<resize 80x24>`; `<paste>…</paste>`
/// pastes the text between (a `<` inside is written `<lt>`).
public enum InputScript {
    /// The input events a script describes.
    public static func parse(_ script: String) -> [InputEvent] {
        var actions: [InputEvent] = []
        var rest = Substring(script)
        var plain = ""
        func flushPlain() {
            actions += Key.parse(plain).map { .key($0) }
            plain = ""
        }
        while let first = rest.first {
            // A form is short (`<resize 1000x1000>`): look no further than 32 characters for its end,
            // so a script of many `<` stays linear.
            if first == "<", let close = rest.prefix(32).firstIndex(of: ">") {
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                let words = inside.lowercased().split(separator: " ").map(String.init)
                var action: InputEvent?
                var next = rest.index(after: close)
                switch words.first {
                case "click" where words.count == 3:
                    if let x = Int(words[1]), let y = Int(words[2]) { action = .click(x: x, y: y) }
                case "wheel" where words.count == 2:
                    if words[1] == "up" || words[1] == "down" { action = .scroll(words[1] == "up" ? -1 : 1) }
                case "resize" where words.count == 2:
                    let size = words[1].split(separator: "x")
                    if size.count == 2, let w = Int(size[0]), let h = Int(size[1]), w > 0, h > 0, w <= 1000, h <= 1000 {
                        action = .resize(width: w, height: h)
                    }
                case "paste" where words.count == 1:
                    if let end = rest[next...].range(of: "</paste>") {
                        action = .paste(rest[next..<end.lowerBound].replacingOccurrences(of: "<lt>", with: "<"), dropped: 0)
                        next = end.upperBound
                    }
                default: break
                }
                if let action {
                    flushPlain()
                    actions.append(action)
                    rest = rest[next...]
                    continue
                }
            }
            plain.append(first)
            rest = rest.dropFirst()
        }
        flushPlain()
        return actions
    }

    /// The first bracketed word that is neither a key name nor a form of this syntax (`<Spcae>`).
    public static func unknownName(in script: String) -> String? {
        Key.unknownName(in: script, allowing: ["paste", "click", "wheel", "resize"])
    }

    /// The script for one input event.
    public static func spell(_ event: InputEvent) -> String {
        switch event {
        case .key(let key): spell(key)
        case .click(let x, let y): "<click \(x) \(y)>"
        case .scroll(let delta): delta < 0 ? "<wheel up>" : "<wheel down>"
        case .resize(let width, let height): "<resize \(width)x\(height)>"
        case .paste(let text, _, _): "<paste>" + text.replacingOccurrences(of: "<", with: "<lt>") + "</paste>"
        }
    }

    /// The script for one key.
    public static func spell(_ key: Key) -> String {
        switch key {
        case .character(let c):
            switch c {
            case "<": "<lt>"
            case " ": "<Space>"
            case "\n", "\r\n", "\r": "<Enter>"
            default: String(c)
            }
        case .up: "<Up>"
        case .down: "<Down>"
        case .left: "<Left>"
        case .right: "<Right>"
        case .home: "<Home>"
        case .end: "<End>"
        case .pageUp: "<PgUp>"
        case .pageDown: "<PgDn>"
        case .enter: "<Enter>"
        case .escape: "<Esc>"
        case .backspace: "<BS>"
        case .delete: "<Del>"
        case .tab: "<Tab>"
        case .backTab: "<S-Tab>"
        case .control(let c): "<C-\(c)>"
        }
    }
}
