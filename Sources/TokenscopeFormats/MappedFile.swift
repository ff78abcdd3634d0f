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

    /// Starts mapping every page of the file on a background thread and returns at once, so the
    /// forward pass that follows a model load finds the weights read instead of waiting on the disk
    /// page by page (Linux `MADV_POPULATE_READ`; `MADV_WILLNEED`, read-ahead only, where the kernel
    /// lacks it). For files about to be read in full: a model being loaded to run, not inspected.
    /// A file already in the page cache is left to be faulted in as it is read: that costs less
    /// than a populate pass competing for the second core with the tokenizer's build (measured:
    /// time to first token 72 → 68 ms when skipped on a cached model).
    public func prefetch() {
        guard isMapped, base != nil, !isResident() else { return }
        let thread = Thread { self.populate() }
        thread.stackSize = 1 << 16
        thread.start()
    }

    /// Whether the file is in memory already (the page cache), judged by up to `samples` pages
    /// spread evenly over it; true for an empty or in-memory file.
    public func isResident(samples: Int = 64) -> Bool {
        guard let base, isMapped, length > 0, samples > 0 else { return true }
        let page = max(1, sysconf(Int32(_SC_PAGESIZE)))
        let pages = (length + page - 1) / page
        let checks = min(samples, pages)
        var state: UInt8 = 0
        for k in 0..<checks {
            let index = checks == 1 ? 0 : k * (pages - 1) / (checks - 1)
            guard mincore(base + index * page, page, &state) == 0, state & 1 == 1 else { return false }
        }
        return true
    }

    /// Maps every page (the thread holds `self`, so the mapping outlives the call).
    private func populate() {
        guard let base else { return }
        let populateRead: Int32 = 22  // MADV_POPULATE_READ (Linux 5.14)
        if madvise(base, length, populateRead) != 0 { _ = madvise(base, length, MADV_WILLNEED) }
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
