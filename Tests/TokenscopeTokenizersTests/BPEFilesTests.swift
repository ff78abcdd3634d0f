import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport
import TokenscopeTokenizers

/// Byte-level BPE loaded from HF files (tokenizer.json, vocab.json + merges.txt) written by the test
/// from SmolLM2's GGUF vocabulary, the pre-tokenizers against HF `tokenizers`' splits, and the loader.
@Suite struct BPEFilesTests {
    struct SplitFile: Decodable {
        struct Corpus: Decodable { let count: Int; let sha256: String }
        let llama3: [[String]]
        let gpt2: [[String]]
        let llama3_corpus: Corpus
    }

    /// A temporary folder with SmolLM2's tokenizer as tokenizer.json (merges as pairs) and as
    /// vocab.json + merges.txt (merges as "a b"), written once (the error if the model is missing).
    static let files: Result<(folder: String, tokens: [String]), any Error> = Result {
        let file = try GGUFFile(path: ModelFixture.requireDefaultModelPath())
        let tokens = try file.metadata.strings("tokenizer.ggml.tokens")
        let merges = try file.metadata.strings("tokenizer.ggml.merges")
        let types = try file.metadata.ints("tokenizer.ggml.token_type")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-bpe-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var vocab: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where vocab[token] == nil { vocab[token] = id }
        let pairs = merges.map { merge -> [String] in
            let parts = merge.split(separator: " ", maxSplits: 1).map(String.init)
            return parts
        }
        let added: [[String: Any]] = tokens.enumerated().filter { types[$0.offset] == 3 }.map {
            ["id": $0.offset, "content": $0.element, "special": true, "normalized": false]
        }
        let json: [String: Any] = [
            "version": "1.0", "added_tokens": added, "normalizer": NSNull(),
            "pre_tokenizer": [
                "type": "Sequence",
                "pretokenizers": [
                    ["type": "Digits", "individual_digits": true],
                    ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
                ],
            ],
            "post_processor": NSNull(), "decoder": ["type": "ByteLevel"],
            "model": ["type": "BPE", "vocab": vocab, "merges": pairs],
        ]
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: folder + "/tokenizer.json"))
        try JSONSerialization.data(withJSONObject: vocab).write(to: URL(fileURLWithPath: folder + "/vocab.json"))
        try Data(("#version: 0.2\n" + merges.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/merges.txt"))
        return (folder, tokens)
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func tokenizerJSONGivesTheGGUFIds() throws {
        let gguf = try ModelFixture.smolLM2Tokenizer()
        let files = try Self.files.get()
        let fromJSON = try BPETokenizer(tokenizerJSON: files.folder + "/tokenizer.json")
        #expect(fromJSON.preTokenizer == .smollm)
        let text = try BPEGoldenTests.fixture("corpus.txt")
        let expected = try BPEGoldenTests.fixture("smollm-corpus.u32").withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        #expect(fromJSON.encode(bytes: Array(text), parseSpecial: true) == expected)
        let strings = try JSONDecoder().decode([String].self, from: BPEGoldenTests.fixture("edge-strings.json"))
        for text in strings {
            #expect(fromJSON.encode(text, parseSpecial: true) == gguf.encode(text, parseSpecial: true), "\(text.debugDescription)")
        }
        // The loader dispatches the same file on model.type.
        let loaded = try TokenizerLoader.load(path: files.folder + "/tokenizer.json")
        #expect(loaded.encode("<|im_start|>Hi 12345", parseSpecial: true) == gguf.encode("<|im_start|>Hi 12345", parseSpecial: true))
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func vocabJSONAndMergesTxtGiveTheGGUFIdsWithTheSameSplit() throws {
        let gguf = try ModelFixture.smolLM2Tokenizer()
        let files = try Self.files.get()
        let fromText = try BPETokenizer(vocabularyJSON: files.folder + "/vocab.json", mergesFile: files.folder + "/merges.txt", preTokenizer: .smollm)
        let strings = try JSONDecoder().decode([String].self, from: BPEGoldenTests.fixture("edge-strings.json"))
        for text in strings {
            #expect(fromText.encode(text, parseSpecial: false) == gguf.encode(text, parseSpecial: false), "\(text.debugDescription)")
        }
    }

    @Test func preTokenizersSplitLikeTheReference() throws {
        let strings = try JSONDecoder().decode([String].self, from: BPEGoldenTests.fixture("edge-strings.json"))
        let golden = try JSONDecoder().decode(SplitFile.self, from: BPEGoldenTests.fixture("splits.json"))
        #expect(golden.llama3.count == strings.count && golden.gpt2.count == strings.count)
        func pieces(_ pre: PreTokenizer, _ text: String) -> [String] {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { b in pre.pieces(of: b).map { String(decoding: b[$0], as: UTF8.self) } }
        }
        for (n, text) in strings.enumerated() {
            #expect(pieces(.llama3, text) == golden.llama3[n], "Llama 3: \(text.debugDescription)")
            let gpt2 = pieces(.gpt2, text).map { ByteLevel.spell($0.utf8) }
            #expect(gpt2 == golden.gpt2[n], "GPT-2: \(text.debugDescription)")
        }
        let corpus = try BPEGoldenTests.fixture("corpus.txt")
        let ranges = Array(corpus).withUnsafeBufferPointer { PreTokenizer.llama3.pieces(of: $0) }
        var sha = SHA256()
        for range in ranges { withUnsafeBytes(of: UInt32(range.count).littleEndian) { sha.update($0) } }
        #expect(ranges.count == golden.llama3_corpus.count)
        #expect(sha.finalizeHex() == golden.llama3_corpus.sha256)
    }

    @Test func unknownPreTokenizersAreNamedErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-pre-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let json = #"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}, "pre_tokenizer": {"type": "Metaspace"}}"#
        _ = FileManager.default.createFile(atPath: folder + "/tokenizer.json", contents: Data(json.utf8))
        do {
            _ = try TokenizerLoader.load(path: folder + "/tokenizer.json")
            Issue.record("an unknown pre-tokenizer was accepted")
        } catch {
            guard case .unsupportedPreTokenizer(let name, let file) = error else { Issue.record("wrong error \(error)"); return }
            #expect(name.contains("Metaspace") && file.hasSuffix("tokenizer.json"))
        }
        #expect(PreTokenizer(ggufName: "qwen2-unknown") == nil)
        #expect(PreTokenizer(ggufName: "smollm") == .smollm)
        // Broken files are errors, not traps.
        _ = FileManager.default.createFile(atPath: folder + "/bad.json", contents: Data("{\"model\": 3".utf8))
        #expect(throws: TokenizerError.self) { _ = try TokenizerLoader.load(path: folder + "/bad.json") }
        #expect(throws: TokenizerError.self) { _ = try TokenizerLoader.load(path: folder + "/missing.gguf") }
    }

    @Test(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs both downloaded models: run `tokenscope fetch`"))
    func loaderOpensTheMiniLMFolderAndTheGGUF() throws {
        let folder = try ModelFixture.requireMiniLMFolder()
        let model = try ModelFixture.requireDefaultModelPath()
        let miniLM = try TokenizerLoader.defaultComparison()
        #expect(miniLM.algorithmName == "WordPiece")
        #expect(miniLM.encode("Hello world", parseSpecial: true) == [101, 7592, 2088, 102])
        let vocabTxt = try TokenizerLoader.load(path: folder + "/vocab.txt")
        #expect(vocabTxt.encode("Hello world", parseSpecial: true) == [101, 7592, 2088, 102])
        let gguf = try TokenizerLoader.load(path: model)
        #expect(gguf.algorithmName == "byte-level BPE")
        #expect(gguf.encode("Hi 12345", parseSpecial: true).count == 7)
    }
}

/// Malformed tokenizer files and random bytes: typed errors and no traps.
@Suite struct TokenizerRobustnessTests {
    static func write(_ text: String, _ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-bad-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func malformedFilesAreNamedErrors() {
        let bpe = #""model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": MERGES}, "pre_tokenizer": {"type": "ByteLevel", "use_regex": true}"#
        let cases: [(String, String)] = [
            ("[1, 2]", "top level"),
            (#"{"model": {"type": "Unigram"}}"#, "Unigram"),
            ("{" + bpe.replacingOccurrences(of: "MERGES", with: #"["a c"]"#) + "}", "merge 0"),
            ("{" + bpe.replacingOccurrences(of: "MERGES", with: #"["ab"]"#) + "}", "merge 0"),
            ("{" + bpe.replacingOccurrences(of: "MERGES", with: "[[1, 2]]") + "}", "merges[0]"),
            (#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 5}, "merges": []}, "pre_tokenizer": {"type": "ByteLevel"}}"#, "id 1"),
            (#"{"model": {"type": "BPE", "vocab": {"a": 9223372036854775807}, "merges": []}}"#, "implausible"),
            (#"{"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}}"#, "implausible"),
            (#"{"model": {"type": "WordPiece", "vocab": {"a": 0}, "unk_token": "[UNK]"}, "pre_tokenizer": {"type": "BertPreTokenizer"}}"#, "[UNK]"),
            (#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "pre_tokenizer": {"type": "Whitespace"}}"#, "Whitespace"),
        ]
        for (n, (json, expected)) in cases.enumerated() {
            let path = Self.write(json, "case\(n).json")
            do {
                _ = try TokenizerLoader.load(path: path)
                Issue.record("case \(n) was accepted")
            } catch {
                #expect(error.description.contains(path) && error.description.contains(expected), "case \(n): \(error)")
            }
        }
        let emptyVocab = Self.write("", "vocab.txt")
        #expect(throws: TokenizerError.self) { _ = try TokenizerLoader.load(path: emptyVocab) }
    }

    @Test(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs both downloaded models: run `tokenscope fetch`"))
    func randomBytesNeverTrap() throws {
        let bpe = try ModelFixture.smolLM2Tokenizer()
        let wordPiece = try ModelFixture.miniLMTokenizer()
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet: [UInt8] = Array("a [SEP]<|im_end|>'s\n\t1é東🙂".utf8) + [0xFF, 0xC3, 0x80, 0xE2, 0x00, 0x7F]
        for _ in 0..<500 {
            let bytes = (0..<(next() % 64)).map { _ in next() % 3 == 0 ? UInt8(truncatingIfNeeded: next()) : alphabet[next() % alphabet.count] }
            _ = bpe.encode(bytes: bytes, parseSpecial: next() % 2 == 0)
            let ids = wordPiece.encode(bytes: bytes, parseSpecial: true)
            // WordPiece sees invalid UTF-8 exactly as its U+FFFD-replaced text.
            #expect(ids == wordPiece.encode(String(decoding: bytes, as: UTF8.self), parseSpecial: true))
            _ = wordPiece.decode(ids)
        }
    }
}
