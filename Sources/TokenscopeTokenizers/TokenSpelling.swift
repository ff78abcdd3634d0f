import Foundation

// MARK: - How a token's text is spelled on screen

/// The one spelling of token text used everywhere a token is shown (explorer views, command-line
/// output): whitespace made visible, control characters escaped, and bytes that are not whole
/// UTF-8 characters shown as hex (`‹E2 80›`) rather than as U+FFFD.
public enum TokenSpelling {
    /// Text with whitespace made visible (␣ ↵ ⇥ ␍) and control and format characters escaped
    /// (`\u0007`); `∅` for the empty string.
    public static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ": out += "␣"
            case "\n": out += "↵"
            case "\t": out += "⇥"
            case "\r": out += "␍"
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out.isEmpty ? "∅" : out
    }

    /// `‹E2 80›`: bytes that are not a whole character (a lone byte token would decode to �).
    public static func hex(_ bytes: [UInt8]) -> String {
        "‹" + bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count < 2 ? "0" + digits : digits
        }.joined(separator: " ") + "›"
    }

    /// A token's label: its visible text when its bytes are valid UTF-8, else its bytes in hex.
    public static func label(bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self).map(visible) ?? hex(bytes)
    }
}
