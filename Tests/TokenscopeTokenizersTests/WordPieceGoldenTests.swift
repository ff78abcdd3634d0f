import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport
import TokenscopeTokenizers

/// all-MiniLM-L6-v2's WordPiece against HF `tokenizers` (fixtures from
/// Tests/Reference/tokenizers/make_tokenizer_goldens.py: `encode(text)` with truncation off).
@Suite(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
struct WordPieceGoldenTests {
    struct Edge: Decodable { let ids: [Int]; let decode: String }
    struct Invalid: Decodable { let hex: String; let ids: [Int] }
    struct EdgeFile: Decodable { let edge: [Edge]; let invalid_utf8: [Invalid] }
    struct Digest: Decodable { let bytes: Int; let sha256: String }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex, let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex) {
            out.append(UInt8(hex[i..<j], radix: 16) ?? 0)
            i = j
        }
        return out
    }

    @Test func corpusIdsAndDecodeEqualTheReference() throws {
        let tokenizer = try ModelFixture.miniLMTokenizer()
        let text = try BPEGoldenTests.fixture("corpus.txt")
        let expected = try BPEGoldenTests.fixture("minilm-corpus.u32").withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        let ids = tokenizer.encode(bytes: Array(text), parseSpecial: true)
        #expect(ids.count == expected.count)
        let firstDifference = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first difference at token \(firstDifference ?? -1)")
        #expect(ids.first == 101 && ids.last == 102)
        let digest = try JSONDecoder().decode(Digest.self, from: BPEGoldenTests.fixture("minilm-corpus-decode.json"))
        let decoded = Array(tokenizer.decode(ids).utf8)
        var sha = SHA256()
        sha.update(decoded)
        #expect(decoded.count == digest.bytes)
        #expect(sha.finalizeHex() == digest.sha256)
    }

    @Test func edgeStringsEqualTheReference() throws {
        let tokenizer = try ModelFixture.miniLMTokenizer()
        let strings = try JSONDecoder().decode([String].self, from: BPEGoldenTests.fixture("edge-strings.json"))
        let expected = try JSONDecoder().decode(EdgeFile.self, from: BPEGoldenTests.fixture("minilm-edge.json"))
        #expect(strings.count >= 200 && strings.count == expected.edge.count)
        for (text, reference) in zip(strings, expected.edge) {
            let ids = tokenizer.encode(text, parseSpecial: true)
            #expect(ids == reference.ids, "\(text.debugDescription)")
            #expect(tokenizer.decode(ids) == reference.decode, "decode of \(text.debugDescription)")
        }
    }

    /// Invalid UTF-8 becomes U+FFFD (String(decoding:as:)), which BERT's clean-up removes.
    @Test func invalidUTF8IsDroppedLikeTheReferenceDropsU_FFFD() throws {
        let tokenizer = try ModelFixture.miniLMTokenizer()
        let expected = try JSONDecoder().decode(EdgeFile.self, from: BPEGoldenTests.fixture("minilm-edge.json"))
        #expect(expected.invalid_utf8.count >= 5)
        for case let (hex, ids) in expected.invalid_utf8.map({ ($0.hex, $0.ids) }) {
            #expect(tokenizer.encode(bytes: Self.bytes(hex: hex), parseSpecial: true) == ids, "\(hex)")
        }
        #expect(tokenizer.encode(bytes: Array("ab\u{FFFD}cd".utf8), parseSpecial: true)
            == tokenizer.encode(bytes: [0x61, 0x62, 0xFF, 0x63, 0x64], parseSpecial: true))
    }

    @Test func wordPieceRules() throws {
        let tokenizer = try ModelFixture.miniLMTokenizer()
        // Special tokens: [CLS]/[SEP] by default, none without; spellings parsed only when asked.
        #expect(tokenizer.encode(bytes: [], parseSpecial: true) == [101, 102])
        #expect(tokenizer.encode(bytes: Array("hello".utf8), parseSpecial: true, addSpecialTokens: false).count == 1)
        #expect(tokenizer.encode("[SEP]", parseSpecial: true) == [101, 102, 102])
        #expect(tokenizer.encode("[SEP]", parseSpecial: false) != [101, 102, 102])
        // Over-long words become one [UNK]; 100 scalars is still allowed.
        let long = tokenizer.encode(String(repeating: "a", count: 101), parseSpecial: true)
        #expect(long == [101, 100, 102])
        #expect(!tokenizer.encode(String(repeating: "a", count: 100), parseSpecial: true).contains(100))
        // Continuations carry ##; accents stripped, lower-cased, CJK split, punctuation isolated.
        let ids = tokenizer.encode("Tokenization Café 東京!", parseSpecial: true)
        let pieces = ids.map(tokenizer.tokenString)
        #expect(pieces.contains { $0.hasPrefix("##") })
        #expect(tokenizer.preTokens("Café 東京!") == ["cafe", "東", "京", "!"])
        #expect(tokenizer.decode(ids) == "tokenization cafe 東 京!")
    }

    @Test func vocabTxtGivesTheSameIdsAsTokenizerJSON() throws {
        let fromJSON = try ModelFixture.miniLMTokenizer()
        let fromText = try WordPieceTokenizer(vocabularyFile: ModelFixture.requireMiniLMFolder() + "/vocab.txt")
        let strings = try JSONDecoder().decode([String].self, from: BPEGoldenTests.fixture("edge-strings.json"))
        #expect(fromText.vocabularySize == fromJSON.vocabularySize)
        for text in strings {
            #expect(fromText.encode(text, parseSpecial: true) == fromJSON.encode(text, parseSpecial: true), "\(text.debugDescription)")
        }
    }

    @Test func pathologicalInputsStayLinear() throws {
        let tokenizer = try ModelFixture.miniLMTokenizer()
        // Thread CPU time, best of three runs, so a busy machine does not fail the test.
        func seconds(_ text: String) -> Double {
            ThreadCPUTime.seconds { _ = tokenizer.encode(text, parseSpecial: true) }
        }
        for unit in [" ", "a", "ab", "1", "!", "[SEP", "é", "東", "🙂"] {
            // 8× the input: linear time gives ~8× the time, quadratic ~64×. The wide margin absorbs cache
            // effects and the other tests running in parallel on a small machine.
            let small = seconds(String(repeating: unit, count: 25_000))
            let large = seconds(String(repeating: unit, count: 200_000))
            #expect(large < max(small, 0.005) * 24, "\(unit.debugDescription): \(small)s → \(large)s")
        }
    }
}
