import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Chips for sequence tokens

extension TokenChip {
    /// The chip for a token of the sequence: control tokens show their spelling, partial UTF-8
    /// sequences their bytes in hex, everything else its text with visible whitespace.
    init(token: TokenInfo, style: Style? = nil) {
        let kind: ChipKind
        let label: String
        switch token.kind {
        case .control, .userDefined, .unknown, .unused:
            kind = .special
            label = token.piece
        case .byte:
            kind = .byte
            label = TokenSpelling.hex(token.bytes.isEmpty ? Array(token.text.utf8) : token.bytes)
        case .normal:
            if token.text.contains("\u{FFFD}") && !token.bytes.isEmpty && String(validating: token.bytes, as: UTF8.self) == nil {
                kind = .byte
                label = TokenSpelling.hex(token.bytes)
            } else {
                kind = .normal
                label = TokenSpelling.visible(token.text)
            }
        }
        self.init(label: label, id: token.id, kind: kind, style: style, breaksLine: token.kind == .normal && token.text.hasSuffix("\n"))
    }
}
