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
        var info = statfs()
        let tmpfs = statfs(path, &info) == 0 && info.f_type == 0x0102_1994
        let dropped = try MappedFile(path: path)
        #expect(dropped.isResident() == tmpfs, "after POSIX_FADV_DONTNEED on \(tmpfs ? "tmpfs" : "a disk file system")")
        // Reading it brings it back.
        dropped.bytes.withUnsafeBytes { _ = $0.reduce(0) { $0 &+ Int($1) } }
        #expect(dropped.isResident())
        #expect(MappedFile(copying: [1, 2, 3], label: "in memory").isResident())
    }
}
