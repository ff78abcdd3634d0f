import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTokenizers

/// Malformed tokenizer metadata and kinds Tokenscope does not read: errors that name the file and
/// the key (or the kind and what is supported), never a trap.
@Suite struct GGUFTokenizerErrorTests {
    /// A well-formed byte-level BPE file: every byte, one merge.
    static func bpe() -> VocabularyGGUF {
        var file = VocabularyGGUF()
        let bytes = (0..<256).map { String(Character(ByteLevel.scalar(for: UInt8($0)))) }
        file["general.architecture"] = .string("gpt2")
        file["tokenizer.ggml.model"] = .string("gpt2")
        file["tokenizer.ggml.pre"] = .string("gpt-2")
        file["tokenizer.ggml.tokens"] = .strings(bytes + ["ab"])
        file["tokenizer.ggml.token_type"] = .int32s([Int32](repeating: 1, count: 257))
        file["tokenizer.ggml.merges"] = .strings(["a b"])
        return file
    }

    /// A well-formed SentencePiece file.
    static func spm() -> VocabularyGGUF {
        var file = VocabularyGGUF()
        let tokens = ["<unk>", "<s>", "</s>"] + (0..<256).map { String(format: "<0x%02X>", $0) } + ["▁a", "b", "▁ab"]
        file["general.architecture"] = .string("llama")
        file["tokenizer.ggml.model"] = .string("llama")
        file["tokenizer.ggml.tokens"] = .strings(tokens)
        file["tokenizer.ggml.scores"] = .float32s((0..<tokens.count).map { -Float($0) })
        file["tokenizer.ggml.token_type"] = .int32s([2, 3, 3] + [Int32](repeating: 6, count: 256) + [1, 1, 1])
        return file
    }

    static func error(_ file: VocabularyGGUF, _ name: String) throws -> (path: String, message: String?) {
        let path = try file.write(name)
        do {
            _ = try TokenizerLoader.load(path: path)
            return (path, nil)
        } catch {
            return (path, error.description)
        }
    }

    @Test func wellFormedFilesLoad() throws {
        let bpe = try TokenizerLoader.load(path: try Self.bpe().write("good-bpe"))
        #expect(bpe.encode("ab", parseSpecial: false).map(bpe.tokenString) == ["ab"])
        let spm = try TokenizerLoader.load(path: try Self.spm().write("good-spm"))
        // "▁a" + "b" merge into "▁ab" (space prefix); an unknown character falls back to its bytes.
        #expect(spm.encode("ab", parseSpecial: false).map(spm.tokenString) == ["▁ab"])
        #expect(spm.encode("é", parseSpecial: false).map(spm.tokenString) == ["<0xE2>", "<0x96>", "<0x81>", "<0xC3>", "<0xA9>"])
        #expect(spm.decode(spm.encode("a é", parseSpecial: false)) == "a é")
    }

    @Test func malformedMetadataNamesFileAndKey() throws {
        var cases: [(String, VocabularyGGUF, String)] = []
        var file = Self.bpe()
        file["tokenizer.ggml.token_type"] = .int32s([1, 1, 1])
        cases.append(("types-length", file, "tokenizer.ggml.token_type"))
        file = Self.bpe()
        file["tokenizer.ggml.merges"] = .strings(["a c", "q ü"])
        cases.append(("merge-unknown", file, "tokenizer.ggml.merges"))
        file = Self.bpe()
        file["tokenizer.ggml.merges"] = .strings(["ab"])
        cases.append(("merge-no-space", file, "tokenizer.ggml.merges"))
        file = Self.bpe()
        file["tokenizer.ggml.merges"] = .int32s([1, 2])
        cases.append(("merges-type", file, "tokenizer.ggml.merges"))
        file = Self.bpe()
        file["tokenizer.ggml.tokens"] = .int32s([1, 2])
        cases.append(("tokens-type", file, "tokenizer.ggml.tokens"))
        file = Self.bpe()
        file["tokenizer.ggml.tokens"] = .strings([])
        cases.append(("tokens-empty", file, "tokenizer.ggml.tokens"))
        file = Self.bpe()
        file["tokenizer.ggml.bos_token_id"] = .u32(5000)
        cases.append(("bos-range", file, "tokenizer.ggml.bos_token_id"))
        file = Self.bpe()
        file["tokenizer.ggml.pre"] = .u32(3)
        cases.append(("pre-type", file, "tokenizer.ggml.pre"))
        file = Self.spm()
        file["tokenizer.ggml.scores"] = .int32s([Int32](repeating: 0, count: 262))
        cases.append(("scores-type", file, "tokenizer.ggml.scores"))
        file = Self.spm()
        file["tokenizer.ggml.scores"] = .float32s([0, 1])
        cases.append(("scores-length", file, "tokenizer.ggml.scores"))
        file = Self.spm()
        file["tokenizer.ggml.scores"] = .float32s([Float](repeating: .nan, count: 262))
        cases.append(("scores-nan", file, "tokenizer.ggml.scores"))
        file = Self.spm()
        file["tokenizer.ggml.token_type"] = .int32s([1])
        cases.append(("spm-types-length", file, "tokenizer.ggml.token_type"))
        file = Self.spm()
        file["tokenizer.ggml.model"] = .string("bert")
        cases.append(("bert-no-unk", file, "tokenizer.ggml.unknown_token_id"))
        file = Self.spm()
        file["tokenizer.ggml.model"] = nil
        cases.append(("no-model", file, "tokenizer.ggml.model"))
        for (name, file, key) in cases {
            let (path, message) = try Self.error(file, name)
            #expect(message != nil, "\(name) was accepted")
            #expect(message?.contains(path) == true && message?.contains(key) == true, "\(name): \(message ?? "")")
        }
    }

    @Test func unsupportedKindsNameTheKindAndTheSupportedOnes() throws {
        for kind in ["t5", "rwkv", "no-such-kind"] {
            var file = Self.spm()
            file["tokenizer.ggml.model"] = .string(kind)
            let (path, message) = try Self.error(file, "kind-\(kind)")
            let text = try #require(message)
            #expect(text.contains(path) && text.contains("'\(kind)'"))
            #expect(text.contains("gpt2") && text.contains("llama") && text.contains("bert"), "\(text)")
        }
        // A pre-tokenizer llama.cpp implements by hand-written code says what it needs.
        var file = Self.bpe()
        file["tokenizer.ggml.pre"] = .string("kimi-k2")
        let kimi = try #require(try Self.error(file, "pre-kimi").message)
        #expect(kimi.contains("'kimi-k2'") && kimi.contains("needs"))
        file["tokenizer.ggml.pre"] = .string("no-such-pre")
        let unknown = try #require(try Self.error(file, "pre-unknown").message)
        #expect(unknown.contains("'no-such-pre'") && unknown.contains("llama-bpe") && unknown.contains("deepseek-llm"))
    }

    @Test func everyNameResolves() {
        for name in PreTokenizerCatalog.names {
            #expect(PreTokenizer(ggufName: name)?.family == name, "\(name)")
        }
        for (alias, canonical) in PreTokenizerCatalog.aliases where PreTokenizerCatalog.unsupported[alias] == nil {
            #expect(PreTokenizer(ggufName: alias)?.family == canonical, "\(alias)")
            #expect(PreTokenizer(ggufName: alias)?.name == alias)
        }
        #expect(PreTokenizer(ggufName: "gpt2") == .gpt2)
        #expect(PreTokenizer(ggufName: "llama3") == .llama3)
        #expect(PreTokenizer(ggufName: "") == PreTokenizer(ggufName: "default"))
        for name in PreTokenizerCatalog.unsupported.keys { #expect(PreTokenizer(ggufName: name) == nil) }
    }

    @Test func randomMetadataNeverTraps() throws {
        // Mutate well-formed files: cut arrays, swap types, put strange ids and names.
        var state: UInt64 = 7
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let keys = ["tokenizer.ggml.tokens", "tokenizer.ggml.token_type", "tokenizer.ggml.merges", "tokenizer.ggml.scores",
                    "tokenizer.ggml.bos_token_id", "tokenizer.ggml.pre", "tokenizer.ggml.model", "tokenizer.ggml.add_space_prefix"]
        let values: [VocabularyGGUF.Value] = [
            .strings([]), .strings(["a", "", "a b", "<0x41>", "▁"]), .int32s([-1, 0, 7, 99999]), .float32s([.infinity, 0]),
            .u32(0xFFFF_FFFF), .i32(-5), .string("llama"), .string("bert"), .string("gpt2"), .string("qwen35"), .bool(true),
        ]
        for n in 0..<120 {
            var file = n % 2 == 0 ? Self.bpe() : Self.spm()
            for _ in 0..<(1 + next() % 3) { file[keys[next() % keys.count]] = values[next() % values.count] }
            let path = try file.write("random-\(n)")
            if let tokenizer = try? TokenizerLoader.load(path: path) {
                let ids = tokenizer.encode(bytes: Array("a b <0x41> é\u{FF}".utf8) + [0xFF], parseSpecial: next() % 2 == 0)
                _ = tokenizer.decode(ids)
            }
        }
    }
}
