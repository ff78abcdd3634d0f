import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTokenizers

/// Tokenizers of every kind read from GGUF files the tests write (small vocabularies of our own,
/// one byte-level BPE file per pre-tokenizer name), against the ids llama.cpp gives for the same
/// files (`Tests/Reference/tokenizers/make_gguf_vocab_goldens.py`, llama-cpp-python 0.3.36);
/// WordPiece against HF `tokenizers`, which BERT is made with.
@Suite struct GGUFVocabularyGoldenTests {
    struct Golden: Decodable {
        struct Vocabulary: Decodable {
            let tokens: [String]
            let token_type: [Int32]
            let merges: [String]?
            let scores: [Float]?
        }
        struct Case: Decodable {
            let name: String
            let vocabulary: String
            let model: String
            let architecture: String
            let pre: String?
            let keys: [String: KeyValue]
            let ids: [[Int]]
        }
        enum KeyValue: Decodable {
            case bool(Bool), int(Int)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let b = try? c.decode(Bool.self) { self = .bool(b) } else { self = .int(try c.decode(Int.self)) }
            }
        }
        let strings: [String]
        let vocabularies: [String: Vocabulary]
        let cases: [Case]
    }

    static let golden: Golden? = {
        guard let data = try? BPEGoldenTests.fixture("gguf-vocab-goldens.json") else { return nil }
        return try? JSONDecoder().decode(Golden.self, from: data)
    }()

    /// The GGUF file of one golden case.
    static func file(for test: Golden.Case, _ golden: Golden) throws -> VocabularyGGUF {
        let vocabulary = try #require(golden.vocabularies[test.vocabulary])
        var file = VocabularyGGUF()
        file["general.architecture"] = .string(test.architecture)
        file["tokenizer.ggml.model"] = .string(test.model)
        if let pre = test.pre { file["tokenizer.ggml.pre"] = .string(pre) }
        file["tokenizer.ggml.tokens"] = .strings(vocabulary.tokens)
        file["tokenizer.ggml.token_type"] = .int32s(vocabulary.token_type)
        if let scores = vocabulary.scores { file["tokenizer.ggml.scores"] = .float32s(scores) }
        if let merges = vocabulary.merges { file["tokenizer.ggml.merges"] = .strings(merges) }
        for (key, value) in test.keys.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .bool(let b): file[key] = .bool(b)
            case .int(let i): file[key] = .u32(UInt32(i))
            }
        }
        return file
    }

    @Test func fixtureCoversEveryKindAndPreTokenizer() throws {
        let golden = try #require(Self.golden, "Fixtures/gguf-vocab-goldens.json is missing or unreadable")
        let names = Set(golden.cases.map(\.name))
        #expect(names.contains("spm/prefix") && names.contains("spm/gemma") && names.contains("wpm"))
        for name in PreTokenizerCatalog.names {
            #expect(names.contains("bpe/" + name), "no golden case for pre-tokenizer \(name)")
        }
        #expect(golden.strings.count >= 50)
    }

    @Test(arguments: GGUFVocabularyGoldenTests.golden?.cases.map(\.name) ?? [])
    func idsEqualLlamaCpp(_ name: String) throws {
        let golden = try #require(Self.golden)
        let test = try #require(golden.cases.first { $0.name == name })
        let path = try Self.file(for: test, golden).write(name)
        let tokenizer = try TokenizerLoader.load(path: path)
        var passed = 0
        for (text, expected) in zip(golden.strings, test.ids) {
            let ids = tokenizer.encode(bytes: Array(text.utf8), parseSpecial: false, addSpecialTokens: false)
            if ids == expected { passed += 1 }
            #expect(ids == expected, "\(name): \(text.debugDescription) → \(ids.map(tokenizer.tokenString)), llama.cpp \(expected.map(tokenizer.tokenString))")
        }
        #expect(passed == golden.strings.count)
    }

    @Test func kindsAndNamesAreReported() throws {
        let golden = try #require(Self.golden)
        for test in golden.cases where ["bpe/llama3", "spm/gemma", "wpm"].contains(test.name) {
            let tokenizer = try TokenizerLoader.load(path: try Self.file(for: test, golden).write(test.name))
            switch test.name {
            case "bpe/llama3":
                #expect(tokenizer.preTokenizerName == "llama3")
                #expect(tokenizer.kindDescription == "byte-level BPE, pre-tokenizer llama3")
            case "spm/gemma":
                #expect(tokenizer.kindDescription == "SentencePiece BPE")
                // BOS per add_bos_token; no space prefix for Gemma-style files.
                let ids = tokenizer.encode(bytes: Array("Hi".utf8), parseSpecial: false, addSpecialTokens: true)
                #expect(ids.first == 1)
                #expect(tokenizer.decode(Array(ids.dropFirst())) == "Hi")
            default:
                #expect(tokenizer.kindDescription == "WordPiece")
                let ids = tokenizer.encode(bytes: Array("hello".utf8), parseSpecial: false, addSpecialTokens: true)
                #expect(tokenizer.tokenString(ids.first ?? -1) == "[CLS]" && tokenizer.tokenString(ids.last ?? -1) == "[SEP]")
            }
        }
    }
}
