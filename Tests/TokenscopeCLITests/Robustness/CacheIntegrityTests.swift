import Foundation
import Testing

// MARK: - A corrupted model in the cache

/// `fetch` checks the SHA-256 of what is cached, not only its size; `fetch --verify` only checks;
/// the model commands check the cached model once per change of the file (a size + mtime stamp)
/// and name a corrupt file instead of answering with it.
@Suite("Cache integrity", .serialized, .enabled(if: CachedModel.isReady, "needs the built binary and the cached model (tokenscope fetch)"))
struct CacheIntegrityTests {
    /// A cache (under a fresh XDG_CACHE_HOME) holding a copy of the model with 20 bytes flipped in
    /// its tensor data, and the real MiniLM folder by a symbolic link.
    static func corruptedCache() throws -> (home: String, model: String) {
        let home = try CachedModel.temporaryFolder()
        let cache = home + "/tokenscope/models"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let model = cache + "/SmolLM2-135M-Instruct.Q4_1.gguf"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: CachedModel.path))
        for offset in 2_000_000..<2_000_020 { bytes[offset] ^= 0xFF }
        try bytes.write(to: URL(fileURLWithPath: model))
        try FileManager.default.createSymbolicLink(atPath: cache + "/all-MiniLM-L6-v2", withDestinationPath: CachedModel.cache + "/all-MiniLM-L6-v2")
        return (home, model)
    }

    @Test func aCorruptedCachedModelIsNamedNotUsed() throws {
        let (home, model) = try Self.corruptedCache()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["XDG_CACHE_HOME": home, "TOKENSCOPE_PYTHON": "tokenscope-no-such-python3", "TOKENSCOPE_MODEL": ""]

        let verify = try CachedModel.run(["fetch", "--verify"], seconds: 60, environment: environment)
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("SmolLM2-135M-Instruct.Q4_1.gguf: CORRUPT"), "\(verify.stdout)")
        #expect(verify.stdout.contains("all-MiniLM-L6-v2: good"), "\(verify.stdout)")

        // fetch does not say "already in": it tries to download again (and here cannot).
        let fetch = try CachedModel.run(["fetch"], seconds: 60, environment: environment)
        #expect(!fetch.stdout.contains("SmolLM2-135M-Instruct.Q4_1.gguf: already in"), "\(fetch.stdout)")
        #expect(fetch.stdout.contains("corrupt"), "\(fetch.stdout)")
        #expect(fetch.status == 1)
        #expect(FileManager.default.fileExists(atPath: model), "the old copy stays until a new one is in place")

        let predict = try CachedModel.run(["predict", "The capital of France is", "--top", "1"], seconds: 60, environment: environment)
        #expect(predict.status == 1, "\(predict.stdout)")
        #expect(predict.stderr.contains(model) && predict.stderr.contains("corrupt"), "\(predict.stderr)")
    }

    @Test func aGoodModelIsHashedOncePerChange() throws {
        let (home, model) = try Self.corruptedCache()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.removeItem(atPath: model)
        try FileManager.default.copyItem(atPath: CachedModel.path, toPath: model)
        let environment = ["XDG_CACHE_HOME": home, "TOKENSCOPE_MODEL": ""]
        let first = try CachedModel.run(["predict", "The capital of France is", "--top", "1", "--json"], seconds: 60, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\" Paris\""))
        let stamp = try String(contentsOfFile: home + "/tokenscope/models/.verified", encoding: .utf8)
        #expect(stamp.contains("SmolLM2-135M-Instruct.Q4_1.gguf\t98362432 "), "\(stamp)")
        // Same size, new contents and modification time: hashed again, and refused.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: model))
        try handle.seek(toOffset: 3_000_000)
        try handle.write(contentsOf: Data(repeating: 0x55, count: 20))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: model)
        let second = try CachedModel.run(["predict", "The capital of France is", "--top", "1"], seconds: 60, environment: environment)
        #expect(second.status == 1 && second.stderr.contains("corrupt"), "\(second.stdout)\(second.stderr)")
    }
}
