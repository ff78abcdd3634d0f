import Foundation

// MARK: - An append-only output file

/// A file opened for writing (created or truncated) when a session starts, so a path that cannot
/// be written is reported before the terminal is taken over; writes go straight to the descriptor,
/// so what was recorded survives a crash.
final class RecordingFile {
    let path: String
    private var descriptor: Int32

    /// Opens `path` for writing; throws naming the file and the system's reason.
    init(path: String) throws(RecordingError) {
        self.path = path
        if path.isEmpty { throw RecordingError(path: "''", reason: "the file name is empty") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw RecordingError(path: path, reason: "it is a folder")
        }
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw RecordingError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Writes `text`; a failed write (disk full) stops recording silently rather than the demo.
    func write(_ text: String) {
        guard descriptor >= 0 else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                close()
                return
            }
            offset += written
        }
        bytes.removeAll()
    }

    /// Closes the file; safe to call more than once.
    func close() {
        guard descriptor >= 0 else { return }
        _ = Foundation.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
