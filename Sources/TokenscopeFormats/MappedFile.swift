import Foundation

// MARK: - Memory-mapped files

/// A whole file mapped read-only into memory; unmapped when the last reference goes.
public final class MappedFile: @unchecked Sendable {
    /// Path of the file.
    public let path: String
    private let base: UnsafeMutableRawPointer?
    private let length: Int
    private let isMapped: Bool

    /// Maps the file at `path`. An empty file maps to an empty buffer. Anything but a regular file
    /// is refused at once (opened non-blocking, so a FIFO with no writer cannot hang it).
    public init(path: String) throws(ModelFileError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw ModelFileError(file: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ModelFileError(file: path, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ModelFileError(file: path, reason: "not a regular file")
        }
        length = Int(info.st_size)
        isMapped = length > 0
        if length == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw ModelFileError(file: path, reason: "cannot map into memory: \(String(cString: strerror(errno)))")
        }
        base = mapped
    }

    /// An in-memory copy of `bytes` standing in for a file called `label` (for fuzzing and tests).
    public init(copying bytes: [UInt8], label: String) {
        path = label
        length = bytes.count
        isMapped = false
        if bytes.isEmpty {
            base = nil
        } else {
            let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 64)
            bytes.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: bytes.count) }
            base = memory
        }
    }

    deinit {
        guard let base else { return }
        if isMapped { munmap(base, length) } else { base.deallocate() }
    }

    /// The file's bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: length) }
}
