import Foundation
import Testing
import TokenscopeTestSupport

/// `tokenscope tokenize` and `tokenscope bench tokenizer`, run as the built binary
/// (`<package root>/.build/release/tokenscope`), checked against the HF `tokenizers` goldens.
@Suite(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs both downloaded models: run `tokenscope fetch`"))
struct TokenizeCommandTests {
    static let fixtures = TokenscopeBinary.packageRoot.appendingPathComponent("Tests/TokenscopeTokenizersTests/Fixtures")
    static let miniLM = ModelFixture.miniLMFolder

    struct Output: Decodable { let count: Int; let ids: [Int]; let tokens: [String]; let text: [String] }

    /// Runs the binary; returns (status, stdout, stderr). Throws when it or a model is missing.
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> (Int32, Data, String) {
        try ModelFixture.requireDefaultModelPath()
        try ModelFixture.requireMiniLMFolder()
        let run = try TokenscopeBinary.run(arguments, stdin: stdin ?? Data())
        return (run.status, run.output, run.stderr)
    }

    static func tokenize(_ arguments: [String], stdin: Data? = nil) throws -> Output {
        let (status, data, errors) = try run(["tokenize", "--json"] + arguments, stdin: stdin)
        #expect(status == 0, "\(arguments): \(errors)")
        return try JSONDecoder().decode(Output.self, from: data)
    }

    @Test func jsonHasExactlyTheDocumentedShape() throws {
        let (status, data, _) = try Self.run(["tokenize", "--json", "Hi 12345"])
        #expect(status == 0)
        #expect(String(decoding: data, as: UTF8.self) == """
            {"count": 7, "ids": [26843,216,33,34,35,36,37], "tokens": ["Hi","Ġ","1","2","3","4","5"], "text": ["Hi"," ","1","2","3","4","5"]}

            """)
    }

    @Test func corpusFromAFileAndEdgeStringsFromStdinMatchTheGoldens() throws {
        let corpus = Self.fixtures.appendingPathComponent("corpus.txt").path
        let expected = try Data(contentsOf: Self.fixtures.appendingPathComponent("smollm-corpus.u32")).withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        let output = try Self.tokenize(["--file", corpus])
        #expect(output.count == expected.count && output.ids == expected)
        // Per-token texts tile ASCII text exactly (a token may hold part of a multi-byte character).
        #expect(try Self.tokenize(["Hello,\tworld!\n  x = 42;"]).text.joined() == "Hello,\tworld!\n  x = 42;")
        let strings = try JSONDecoder().decode([String].self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("edge-strings.json")))
        let ids = try JSONDecoder().decode([[Int]].self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("smollm-edge.json")))
        for n in stride(from: 1, to: strings.count, by: 37) {
            #expect(try Self.tokenize(["--file", "-"], stdin: Data(strings[n].utf8)).ids == ids[n], "\(strings[n].debugDescription)")
        }
    }

    @Test func piecesOfACharacterShowTheirBytes() throws {
        // U+200B (E2 80 8B) is split by byte-level BPE; alone, each piece would print as �.
        let (status, data, _) = try Self.run(["tokenize", "a\u{200B}c \u{1}"])
        let text = String(decoding: data, as: UTF8.self)
        #expect(status == 0)
        #expect(text.hasPrefix("[a|81] [‹E2 80›|321] [‹8B›|229] [c|83] "), "\(text)")
        #expect(text.contains("\\u0001"))
        #expect(!text.contains("\u{FFFD}"))
    }

    @Test func noSpecialTreatsControlTokensAsText() throws {
        let special = try Self.tokenize(["<|im_start|>user"])
        let plain = try Self.tokenize(["--no-special", "<|im_start|>user"])
        #expect(special.ids.first == 1)
        #expect(!plain.ids.contains(1) && plain.text.joined() == "<|im_start|>user")
    }

    @Test func miniLMFolderTokenizesWithWordPiece() throws {
        struct Edge: Decodable { let ids: [Int] }
        struct EdgeFile: Decodable { let edge: [Edge] }
        let strings = try JSONDecoder().decode([String].self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("edge-strings.json")))
        let golden = try JSONDecoder().decode(EdgeFile.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("minilm-edge.json")))
        for n in stride(from: 5, to: strings.count, by: 41) where !strings[n].isEmpty {
            let output = try Self.tokenize(["--model", Self.miniLM, strings[n]])
            #expect(output.ids == golden.edge[n].ids, "\(strings[n].debugDescription)")
        }
        let output = try Self.tokenize(["--model", Self.miniLM, "Tokenization!"])
        #expect(output.tokens == ["[CLS]", "token", "##ization", "!", "[SEP]"])
        #expect(output.text == ["[CLS]", "token", "ization", "!", "[SEP]"])
        #expect(try Self.tokenize(["--model", Self.miniLM, "--no-special", "Tokenization!"]).ids == [19204, 3989, 999])
    }

    @Test func invalidUTF8OnStdinIsEncodedNotRejected() throws {
        let bytes = Data([0x61, 0x62, 0xE2, 0x82, 0x20, 0xC3, 0x28, 0x63])
        let bpe = try Self.tokenize(["--file", "-"], stdin: bytes)
        #expect(bpe.count > 0)
        let wordPiece = try Self.tokenize(["--model", Self.miniLM, "--file", "-"], stdin: Data([0x61, 0x62, 0xFF, 0x63, 0x64]))
        let clean = try Self.tokenize(["--model", Self.miniLM, "abcd"])
        #expect(wordPiece.ids == clean.ids)
        let empty = try Self.tokenize(["--file", "-"], stdin: Data())
        #expect(empty.count == 0)
    }

    @Test func traceAndErrors() throws {
        let (status, data, _) = try Self.run(["tokenize", "--trace", " strawberry"])
        let text = String(decoding: data, as: UTF8.self)
        #expect(status == 0 && text.contains("rank") && text.contains("e + r"))
        let (badStatus, _, errors) = try Self.run(["tokenize", "--model", "/nonexistent/tokenizer.json", "x"])
        #expect(badStatus != 0 && errors.contains("/nonexistent/tokenizer.json"))
    }

    @Test func benchReportsThroughput() throws {
        struct Report: Decodable { let bytes: Int; let tokens: Int; let megabytesPerSecond: Double; let tokensPerSecond: Double }
        let (status, data, errors) = try Self.run(["bench", "tokenizer", "--json", "--seconds", "0.2"])
        #expect(status == 0, "\(errors)")
        let report = try JSONDecoder().decode(Report.self, from: data)
        #expect(report.bytes > 1_000_000 && report.tokens == 310_167)
        #expect(report.megabytesPerSecond > 0 && report.tokensPerSecond > 0)
    }
}
