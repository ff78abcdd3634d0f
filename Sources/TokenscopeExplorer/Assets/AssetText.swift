import Foundation

// MARK: - Reading a teacher's text files

/// Reads the plain-text files a teacher writes (lessons, demo scripts, glossaries) with reasons a
/// person can act on: a FIFO, folder or device is refused before it is opened for reading (a FIFO
/// with no writer would hang), and text that is not UTF-8 names the byte where it stops being so.
enum AssetText {
    /// The file's text, or the reason it cannot be had.
    static func read(_ path: String) -> Result<String, AssetTextError> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(AssetTextError(reason: "it cannot be opened: \(String(cString: strerror(errno)))"))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(AssetTextError(reason: "it is a folder, not a text file"))
        case S_IFIFO: return .failure(AssetTextError(reason: "it is a FIFO (named pipe), not a text file"))
        default: return .failure(AssetTextError(reason: "it is not a regular file (a device or socket)"))
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            return .failure(AssetTextError(reason: "it cannot be read: \((error as NSError).localizedFailureReason ?? "\(error)")"))
        }
        let bytes = [UInt8](data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            var offset = 0
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): offset += UTF8.width(scalar)
                case .emptyInput, .error: break loop
                }
            }
            return .failure(AssetTextError(reason: "it is not UTF-8 text (byte \(offset) is not part of a UTF-8 character)"))
        }
        return .success(text)
    }
}

/// Why a text file could not be read, in words for its author.
struct AssetTextError: Error {
    let reason: String
}
