import Foundation
import TokenscopeUI

// MARK: - Saving the screen from the explorer

/// Writes the screen as SVG and plain text into `${TOKENSCOPE_EXPORT_DIR:-.}`, named with the view
/// and the time (`tokenscope-sampling-20260301-101502.svg`), and says where — or why not — in one
/// line for the status line; the app keeps running either way.
enum ScreenSaver {
    /// The folder screens are saved in.
    static var directory: String {
        let value = ProcessInfo.processInfo.environment["TOKENSCOPE_EXPORT_DIR"] ?? ""
        return value.isEmpty ? "." : value
    }

    /// Saves `canvas`; returns the status line.
    static func save(_ canvas: Canvas, theme: Theme, view: String, in directory: String = ScreenSaver.directory, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            return "error: cannot save the screen: no folder \(directory)"
        }
        if !isDirectory.boolValue { return "error: cannot save the screen: \(directory) is not a folder" }
        if !FileManager.default.isWritableFile(atPath: directory) { return "error: cannot save the screen: \(directory) is not writable" }
        let base = (directory as NSString).appendingPathComponent("tokenscope-\(view)-\(formatter.string(from: now))")
        do {
            for format in [ExportFormat.svg, .text] {
                try format.export(canvas, theme: theme).write(toFile: base + "." + format.fileExtension, atomically: true, encoding: .utf8)
            }
        } catch {
            return "error: cannot save the screen in \(directory): \(Self.reason(error))"
        }
        return "saved \(base).svg and .txt"
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
