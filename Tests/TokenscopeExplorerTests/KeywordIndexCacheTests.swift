import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer
@testable import TokenscopeExplorer

// MARK: - The BM25 index in the cache

/// The keyword index is stored beside the embedding index (same key) and read back on reopen: the
/// same rankings as a fresh build, a damaged file reported and rebuilt, and reading it back far
/// cheaper than re-splitting 5 MB of chunks into terms.
@Suite("Keyword index cache", .serialized)
struct KeywordIndexCacheTests {
    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-keywords-\(UUID().uuidString)").path
    }

    /// About `megabytes` MB of chunk-sized texts from the Velmora corpus (its sentences regrouped,
    /// numbers redrawn, seeded), like the 5 MB folder of Docs/PERFORMANCE.md.
    static func texts(megabytes: Double) throws -> [String] {
        let folder = try AssetLocator.root().appendingPathComponent("Corpora/velmora")
        var sentences: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".md") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            sentences += text.split(whereSeparator: { $0 == "." || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 20 }
        }
        var random = SplitMix64(seed: 7)
        var texts: [String] = []
        var bytes = 0
        while Double(bytes) < megabytes * 1_000_000 {
            var chunk = ""
            while chunk.utf8.count < 360 {
                let sentence = sentences[Int(random.next() % UInt64(sentences.count))]
                chunk += sentence + " \(random.next() % 2000). "
            }
            bytes += chunk.utf8.count
            texts.append(chunk)
        }
        return texts
    }

    @Test func aStoredIndexReadsBackAndRanksAlike() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = IndexCache(folder: folder)
        let texts = try Self.texts(megabytes: 0.2)
        let key = String(repeating: "cd", count: 32)
        guard case .miss = cache.loadKeywords(key: key, chunkCount: texts.count) else { Issue.record("expected a miss"); return }
        let built = cache.openKeywords(key: key, chunkCount: texts.count) { texts }
        #expect(built.source == .built(corrupt: nil) && built.storeProblem == nil)
        let reopened = cache.openKeywords(key: key, chunkCount: texts.count) { Issue.record("a reopen must not split the texts again"); return texts }
        #expect(reopened.source == .cache)
        #expect(reopened.keywords == built.keywords && reopened.keywords == BM25(texts: texts))
        for query in ["Which bird nests on Pell Rock?", "salt dried forty days", "harbour 1200", "zebra"] {
            let a = built.keywords.search(query, k: 10), b = reopened.keywords.search(query, k: 10)
            #expect(a.map(\.index) == b.map(\.index) && a.map(\.score) == b.map(\.score), "\(query)")
        }
        // Another chunk count (the documents changed under the same key): not trusted.
        guard case .corrupt(let reason) = cache.loadKeywords(key: key, chunkCount: texts.count + 1) else { Issue.record("expected corrupt"); return }
        #expect(reason.contains("chunks"))
        // A changed posting byte fails the hash, and the open rebuilds it.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cache.keywordsPath(for: key)))
        bytes[bytes.count - 5] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: cache.keywordsPath(for: key)))
        guard case .corrupt(let hash) = cache.loadKeywords(key: key, chunkCount: texts.count) else { Issue.record("expected corrupt"); return }
        #expect(hash.contains("SHA-256"))
        let rebuilt = cache.openKeywords(key: key, chunkCount: texts.count) { texts }
        guard case .built(let corrupt?) = rebuilt.source else { Issue.record("expected a rebuild"); return }
        #expect(corrupt.contains("SHA-256") && rebuilt.keywords == built.keywords)
        // A truncated file.
        try Data(bytes.prefix(40)).write(to: URL(fileURLWithPath: cache.keywordsPath(for: key)))
        guard case .corrupt = cache.loadKeywords(key: key, chunkCount: texts.count) else { Issue.record("expected corrupt"); return }
    }

    @Test func readingBackCostsAFractionOfRebuildingAt5MB() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = IndexCache(folder: folder)
        let texts = try Self.texts(megabytes: 5)
        let key = String(repeating: "ef", count: 32)
        try cache.storeKeywords(BM25(texts: texts), key: key)
        var loaded: BM25?
        let build = ThreadCPUTime.seconds(runs: 2) { _ = BM25(texts: texts) }
        let read = ThreadCPUTime.seconds(runs: 2) {
            if case .hit(let keywords) = cache.loadKeywords(key: key, chunkCount: texts.count) { loaded = keywords }
        }
        print(String(format: "keyword index of %d chunks (%.1f MB): built in %.0f ms CPU, read back in %.0f ms CPU", texts.count,
                     Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1e6, build * 1000, read * 1000))
        #expect(loaded != nil)
        #expect(read < build / 3, "reading back (\(read) s) must cost well under rebuilding (\(build) s)")
    }
}
