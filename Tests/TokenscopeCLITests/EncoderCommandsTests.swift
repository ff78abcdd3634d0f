import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport

/// `tokenscope embed`, `similarity` and `search`, run as the built binary on the real MiniLM: the
/// JSON contracts, stdin, the Velmora corpus, the index cache (reused, and rebuilt when corrupt) and
/// bad input. The index cache goes to a temporary XDG_CACHE_HOME; the model is named with --model.
@Suite struct EncoderCommandsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = TokenscopeBinary.path
    static let miniLM = ModelLocator.miniLMFolder()
    static let corpus = root.appendingPathComponent("Assets/Corpora/velmora").path

    static let isAvailable: Bool = {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: binary) { missing.append("\(binary) (run swift build -c release)") }
        if !FileManager.default.fileExists(atPath: miniLM + "/model.safetensors") { missing.append(miniLM) }
        if missing.isEmpty || ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        print("note: skipping the encoder command tests, missing: \(missing.joined(separator: ", "))")
        return false
    }()

    struct Line: Decodable { let text: String; let tokens: Int; let embedding: [Float] }
    struct Hit: Decodable { let source: String; let offset: Int; let text: String; let score: Double }

    /// Runs the binary with `cache` as XDG_CACHE_HOME; returns (status, stdout, stderr).
    static func run(_ arguments: [String], cache: URL, stdin: Data? = nil) throws -> (Int32, Data, String) {
        let run = try ProcessRunner.run(binary, arguments, environment: ProcessInfo.processInfo.environment.merging(["XDG_CACHE_HOME": cache.path]) { $1 }, stdin: stdin ?? Data())
        return (run.status, run.output, run.stderr)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-encoder-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(.enabled(if: isAvailable)) func embedPrintsOneJSONLinePerTextInOrder() throws {
        let cache = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        let (status, data, errors) = try Self.run(
            ["embed", "--model", Self.miniLM, "--json", "first text", "--file", "-"], cache: cache, stdin: Data("second\n\nthird 東京\n".utf8))
        #expect(status == 0, "\(errors)")
        let lines = try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        #expect(lines.map(\.text) == ["first text", "second", "", "third 東京"])
        #expect(lines.map(\.tokens) == [4, 3, 2, 5])
        for line in lines {
            #expect(line.embedding.count == 384)
            #expect(abs(line.embedding.reduce(0) { $0 + Double($1) * Double($1) } - 1) < 1e-4)
        }
    }

    @Test(.enabled(if: isAvailable)) func similarityRanksParaphrasesAboveUnrelatedText() throws {
        let cache = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        let (status, data, errors) = try Self.run(
            ["similarity", "--model", Self.miniLM, "--json", "How do I reset my password?", "I forgot my login credentials.", "The weather is nice."], cache: cache)
        #expect(status == 0, "\(errors)")
        struct Report: Decodable { let texts: [String]; let matrix: [[Double]] }
        let report = try JSONDecoder().decode(Report.self, from: data)
        #expect(report.matrix.count == 3 && report.matrix.allSatisfy { $0.count == 3 })
        #expect(abs(report.matrix[0][0] - 1) < 1e-5)
        #expect(report.matrix[0][1] > report.matrix[0][2] + 0.3)
        #expect(try Self.run(["similarity", "--model", Self.miniLM, "alone"], cache: cache).0 != 0)
    }

    @Test(.enabled(if: isAvailable)) func searchFindsTheAnswerInTheCorpusAndReusesItsCache() throws {
        let cache = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        let arguments = ["search", "--model", Self.miniLM, "--docs", Self.corpus, "--k", "3", "--json", "Who records the weather at the observatory every day?"]
        let (status, data, errors) = try Self.run(arguments, cache: cache)
        #expect(status == 0, "\(errors)")
        let hits = try JSONDecoder().decode([Hit].self, from: data)
        #expect(hits.count == 3)
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
        #expect(hits.contains { $0.text.contains("record the weather every day at dawn and dusk") }, "\(hits.map(\.text))")
        for hit in hits {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: hit.source))
            #expect(String(decoding: bytes[hit.offset..<(hit.offset + hit.text.utf8.count)], as: UTF8.self) == hit.text, "offset is the chunk's byte offset")
        }
        // The index is cached as safetensors; a second run reads it, a corrupt one is rebuilt.
        let index = cache.appendingPathComponent("tokenscope/models/index")
        let all = try FileManager.default.contentsOfDirectory(atPath: index.path)
        let files = all.filter { $0.hasSuffix(".safetensors") && !$0.hasSuffix(".bm25.safetensors") }
        #expect(files.count == 1)
        // The keyword index beside it, under the same key.
        #expect(all.filter { $0.hasSuffix(".bm25.safetensors") } == files.map { $0.replacingOccurrences(of: ".safetensors", with: ".bm25.safetensors") })
        let again = try Self.run(arguments, cache: cache)
        #expect(again.0 == 0 && again.1 == data && !again.2.contains("corrupt"))
        let file = index.appendingPathComponent(files[0])
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count - 3] ^= 0x10
        try bytes.write(to: file)
        let rebuilt = try Self.run(arguments, cache: cache)
        #expect(rebuilt.0 == 0 && rebuilt.1 == data)
        #expect(rebuilt.2.contains("is corrupt") && rebuilt.2.contains("rebuilding"), "\(rebuilt.2)")
        #expect(try Data(contentsOf: file) != bytes)
    }

    @Test(.enabled(if: isAvailable)) func searchNamesSkippedFilesAndRefusesAnEmptyFolder() throws {
        let cache = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        let docs = cache.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let empty = try Self.run(["search", "--model", Self.miniLM, "--docs", docs.path, "anything"], cache: cache)
        #expect(empty.0 != 0 && empty.2.contains("no files"), "\(empty.2)")
        try Data("The ferry leaves at seven.\n\nGoats live on the islet.\n".utf8).write(to: docs.appendingPathComponent("a.md"))
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x02]).write(to: docs.appendingPathComponent("program.bin"))
        try FileManager.default.createSymbolicLink(atPath: docs.appendingPathComponent("lost.md").path, withDestinationPath: "/nonexistent/lost.md")
        let (status, data, errors) = try Self.run(["search", "--model", Self.miniLM, "--docs", docs.path, "--json", "--k", "1", "when does the boat depart"], cache: cache)
        #expect(status == 0, "\(errors)")
        #expect(errors.contains("program.bin") && errors.contains("binary"))
        #expect(errors.contains("lost.md") && errors.contains("cannot be read"))
        let hits = try JSONDecoder().decode([Hit].self, from: data)
        #expect(hits.map(\.text) == ["The ferry leaves at seven."])
    }
}
