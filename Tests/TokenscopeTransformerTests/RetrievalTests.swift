import Foundation
import Testing
import TokenscopeTokenizers
@testable import TokenscopeTransformer

/// Chunking, keyword ranking, the index cache and document loading, without a model: a small
/// WordPiece vocabulary stands in for MiniLM's where tokens are counted.
@Suite struct RetrievalTests {
    static func tokenizer() throws -> WordPieceTokenizer {
        let words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "salt", "is", "dried", "for", "forty", "days", "river", "tamsk", "##s", "."]
        return try WordPieceTokenizer(vocabulary: words, specialTokens: [0, 1, 2, 3], prefixIDs: [2], suffixIDs: [3])
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-retrieval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func paragraphsBecomeChunksAndLongOnesOverlappingWindows() throws {
        let tokenizer = try Self.tokenizer()
        let long = Array(repeating: "salt is dried", count: 20).joined(separator: " ")  // 60 words, one piece each
        let text = "The salt is dried.\n\nThe river Tamsk.\n  \n" + long + "\n"
        let document = Document(source: "doc.md", text: text)
        let chunker = try Chunker(size: 16, overlap: 4, maxTokens: 256)
        let chunks = chunker.chunks(of: document, index: 0, tokenizer: tokenizer)
        #expect(chunks[0].text(in: [document]) == "The salt is dried.")
        #expect(chunks[1].text(in: [document]) == "The river Tamsk.")
        let windows = Array(chunks.dropFirst(2))
        #expect(windows.count > 1)
        for window in windows {
            #expect(window.tokenCount <= 16)
            #expect(window.text(in: [document]).hasPrefix("salt") || window.text(in: [document]).hasPrefix("is") || window.text(in: [document]).hasPrefix("dried"))
        }
        for (a, b) in zip(windows, windows.dropFirst()) {
            #expect(b.offset < a.offset + a.length, "consecutive windows overlap")
            #expect(b.offset > a.offset, "windows move forward")
        }
        #expect(windows.last.map { $0.offset + $0.length } == long.utf8.count + (text.utf8.count - long.utf8.count - 1))
    }

    @Test func chunkSettingsOutsideTheEncodersRangeAreErrors() {
        #expect(throws: RetrievalError.self) { try Chunker(size: 300, overlap: 10, maxTokens: 256) }
        #expect(throws: RetrievalError.self) { try Chunker(size: 64, overlap: 64, maxTokens: 256) }
    }

    @Test func bm25RanksRareSharedWordsFirst() {
        let texts = ["the salt of ashcombe is dried for forty days", "the river runs to the sea", "the the the the", "salt and salt and salt"]
        let ranking = BM25(texts: texts).search("how long is ashcombe salt dried", k: 4)
        #expect(ranking.first?.index == 0)
        #expect(!ranking.contains { $0.index == 1 || $0.index == 2 })
        #expect(BM25(texts: texts).search("zebra", k: 3).isEmpty)
        #expect(BM25.terms("Café, déjà-vu 42!") == ["café", "déjà", "vu", "42"])
    }

    @Test func searchReturnsTheBestChunksInOrder() {
        let chunks = (0..<5).map { DocumentChunk(document: 0, offset: $0, length: 0, tokenCount: 0) }
        let vectors: [Float] = [1, 0, 0.6, 0.8, 0, 1, -1, 0, 0.8, 0.6]
        let index = EmbeddingIndex(chunks: chunks, dimension: 2, vectors: vectors)
        let hits = index.search([1, 0], k: 3)
        #expect(hits.map(\.index) == [0, 4, 1])
        #expect(abs(hits[1].score - 0.8) < 1e-6)
    }

    @Test func theCacheRoundTripsAndRejectsCorruptFiles() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = IndexCache(folder: folder.path)
        let documents = [Document(source: "a.md", text: "first paragraph\n\nsecond one")]
        let chunks = [DocumentChunk(document: 0, offset: 0, length: 15, tokenCount: 2), DocumentChunk(document: 0, offset: 17, length: 10, tokenCount: 2)]
        let index = EmbeddingIndex(chunks: chunks, dimension: 3, vectors: [1, 0, 0, 0, 0.6, 0.8])
        let key = String(repeating: "ab", count: 32)
        guard case .miss = cache.load(key: key, documents: documents, dimension: 3) else { Issue.record("expected a miss"); return }
        try cache.store(index, key: key)
        guard case .hit(let loaded) = cache.load(key: key, documents: documents, dimension: 3) else { Issue.record("expected a hit"); return }
        #expect(loaded.chunks == chunks && loaded.vectors == index.vectors)
        // A changed embedding byte fails the hash.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cache.path(for: key)))
        bytes[bytes.count - 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: cache.path(for: key)))
        guard case .corrupt(let reason) = cache.load(key: key, documents: documents, dimension: 3) else { Issue.record("expected corrupt"); return }
        #expect(reason.contains("SHA-256"))
        // A truncated file, a wrong dimension, offsets past a shorter document.
        try cache.store(index, key: key)
        #expect({ if case .corrupt = cache.load(key: key, documents: documents, dimension: 4) { true } else { false } }())
        #expect({ if case .corrupt = cache.load(key: key, documents: [Document(source: "a.md", text: "short")], dimension: 3) { true } else { false } }())
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: cache.path(for: key)))
        #expect({ if case .corrupt = cache.load(key: key, documents: documents, dimension: 3) { true } else { false } }())
    }

    @Test func documentFoldersSkipBinaryAndUnreadableFilesAndRefuseEmptyOnes() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: RetrievalError.self) { try DocumentSet(path: folder.path) }
        try Data("Some text.\n".utf8).write(to: folder.appendingPathComponent("notes.md"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: folder.appendingPathComponent("image.png"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("gone.txt").path, withDestinationPath: "/nonexistent/file")
        let set = try DocumentSet(path: folder.path)
        #expect(set.documents.map { URL(fileURLWithPath: $0.source).lastPathComponent } == ["notes.md"])
        #expect(set.notes.contains { $0.contains("image.png") && $0.contains("binary") })
        #expect(set.notes.contains { $0.contains("gone.txt") && $0.contains("cannot be read") })
        #expect(throws: RetrievalError.self) { try DocumentSet(path: folder.appendingPathComponent("missing").path) }
    }
}
