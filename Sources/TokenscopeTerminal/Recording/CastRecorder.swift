import Foundation
import TokenscopeUI

// MARK: - asciicast v2 recordings

/// Records a session as an asciicast v2 file (the asciinema format): a JSON header line with the
/// format version and the screen size, then one `[seconds, "o", text]` line per frame drawn,
/// holding the escape sequences that turn the previous frame into this one (`FrameEncoder`). Plays
/// with `asciinema play` and replays in any terminal model to the screens the user saw.
public final class CastRecorder {
    private let file: RecordingFile
    private var encoder = FrameEncoder()
    private let start: ContinuousClock.Instant

    /// Creates (or truncates) `path` and writes the header for a `width` × `height` screen.
    public init(path: String, width: Int, height: Int, title: String = "tokenscope",
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(RecordingError) {
        file = try RecordingFile(path: path)
        start = .now
        var env: [String: String] = [:]
        for name in ["TERM", "SHELL"] { if let value = environment[name] { env[name] = value } }
        let header: [String: Any] = [
            "version": 2, "width": width, "height": height, "timestamp": Int(Date().timeIntervalSince1970), "title": title, "env": env,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]),
            let line = String(data: data, encoding: .utf8)
        else { throw RecordingError(path: path, reason: "the header could not be encoded") }
        file.write(line + "\n")
    }

    /// Records the frame drawn now (nothing when it equals the last one).
    public func record(_ canvas: Canvas) {
        let text = encoder.encode(canvas)
        guard !text.isEmpty else { return }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        file.write("[" + String(format: "%.6f", seconds) + ", \"o\", " + Self.jsonString(text) + "]\n")
    }

    /// Ends the recording.
    public func close() { file.close() }

    /// `text` as a JSON string literal (control characters as `\u00XX`).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
