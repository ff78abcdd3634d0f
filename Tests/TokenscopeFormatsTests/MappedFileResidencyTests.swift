import Foundation
import Testing
import TokenscopeFormats

/// Whether a mapped file is already in the page cache decides whether loading prefetches it: a
/// file read just now is resident; one whose cached pages were dropped is not.
@Suite struct MappedFileResidencyTests {
    @Test func aFileReadJustNowIsResidentAndOneDroppedFromTheCacheIsNot() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-resident-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data((0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: path))
        _ = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try MappedFile(path: path).isResident())

        // Written back and dropped from the cache (clean pages go at once where the file system
        // keeps a page cache; tmpfs keeps them, and then the file stays resident).
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        fsync(descriptor)
        posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
        close(descriptor)
        let tmpfs = Self.fileSystemType(of: path) == "tmpfs"
        let dropped = try MappedFile(path: path)
        #expect(dropped.isResident() == tmpfs, "after POSIX_FADV_DONTNEED on \(tmpfs ? "tmpfs" : "a disk file system")")
        // Reading it brings it back.
        #expect(dropped.bytes.reduce(0) { $0 &+ Int($1) } != 0)
        #expect(dropped.isResident())
        #expect(MappedFile(copying: [1, 2, 3], label: "in memory").isResident())
    }

    /// The type of the file system `path` is on, from /proc/mounts (the longest mount point above it).
    static func fileSystemType(of path: String) -> String? {
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return nil }
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 2 else { continue }
            let point = String(fields[1]), type = String(fields[2])
            let above = point == "/" || path == point || path.hasPrefix(point + "/")
            if above, point.count > (best?.point.count ?? -1) { best = (point, type) }
        }
        return best?.type
    }
}
