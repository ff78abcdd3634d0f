import ArgumentParser
import Foundation

// MARK: - Reading a text the user points at

/// The bytes of `path` ("-" for standard input), read to the end with `read(2)`: regular files,
/// pipes and process substitutions (`--file <(cmd)`), and devices such as `/dev/null`.
func readInputFile(_ path: String) throws -> [UInt8] {
    if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        throw CommandFailure("\(path): is a folder, not a file")
    }
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw CommandFailure("\(path): cannot read the file: \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            throw CommandFailure("\(path): cannot read the file: \(String(cString: strerror(errno)))")
        }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
}
