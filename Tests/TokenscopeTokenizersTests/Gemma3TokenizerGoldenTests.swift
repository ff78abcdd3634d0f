import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport
import TokenscopeTokenizers

/// Gemma 3's SentencePiece tokenizer, read from the real 270M GGUF, against llama.cpp
/// (llama-cpp-python 0.3.36, `tokenize(text, add_bos=False, special=False)`) on the tokenizer
/// corpus and the edge strings. Fixtures from Tests/Reference/architectures/gemma3_llamacpp_reference.py.
@Suite(.enabled(if: ModelFixture.shouldRunGemma, "needs gemma-3-270m-q4_k_m.gguf: run `tokenscope fetch gemma3`"))
struct Gemma3TokenizerGoldenTests {
    static func tokenizer() throws -> any Tokenizer {
        let tokenizer = try GGUFTokenizer.load(GGUFFile(path: ModelFixture.gemmaPath))
        #expect(tokenizer is SentencePieceTokenizer)
        return tokenizer
    }

    @Test func corpusIdsEqualLlamaCpp() throws {
        let tokenizer = try Self.tokenizer()
        let text = try BPEGoldenTests.fixture("corpus.txt")
        let expected = try BPEGoldenTests.fixture("gemma3-corpus.u32").withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        #expect(text.count >= 1_000_000 && expected.count > 200_000)
        let ids = tokenizer.encode(bytes: Array(text), parseSpecial: false)
        #expect(ids.count == expected.count)
        let firstDifference = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first difference at token \(firstDifference ?? -1)")
        #expect(tokenizer.decode(ids) == String(decoding: text, as: UTF8.self))
    }

    @Test func edgeStringsEqualLlamaCpp() throws {
        let tokenizer = try Self.tokenizer()
        let strings = try JSONDecoder().decode([String].self, from: BPEGoldenTests.fixture("edge-strings.json"))
        let expected = try JSONDecoder().decode([[Int]].self, from: BPEGoldenTests.fixture("gemma3-edge.json"))
        #expect(strings.count >= 200 && strings.count == expected.count)
        for (text, ids) in zip(strings, expected) {
            #expect(tokenizer.encode(text, parseSpecial: false) == ids, "\(text.debugDescription)")
        }
    }
}
