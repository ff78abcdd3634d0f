import Testing
import TokenscopeFormats
import TokenscopeTestSupport
@testable import TokenscopeTokenizers

/// The byte-level BPE built from the GGUF's bytes (no `String` per entry) names every token as the
/// file spells it and gives the bytes each token stands for as a `String`-based decoding does.
@Suite struct BPEVocabularyBytesTests {
    /// The bytes a spelling stands for, decoded through `String` scalars (independent of the
    /// tokenizer's own byte-level decoding).
    static func expectedBytes(_ token: String, special: Bool) -> [UInt8] {
        if special { return Array(token.utf8) }
        var bytes: [UInt8] = []
        for scalar in token.unicodeScalars {
            if let byte = ByteLevel.byte(for: scalar) { bytes.append(byte) } else { bytes.append(contentsOf: String(scalar).utf8) }
        }
        return bytes
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func everySmolLM2TokenKeepsItsSpellingAndBytes() throws {
        let file = try GGUFFile(path: ModelFixture.requireDefaultModelPath())
        let tokens = try file.metadata.strings("tokenizer.ggml.tokens")
        let types = try file.metadata.ints("tokenizer.ggml.token_type")
        let tokenizer = try BPETokenizer(gguf: file)
        #expect(tokenizer.vocabularySize == tokens.count)
        var wrong = 0
        for (id, token) in tokens.enumerated() {
            let special = types[id] == TokenKind.control.rawValue || types[id] == TokenKind.userDefined.rawValue
            if tokenizer.tokenString(id) != token || tokenizer.tokenBytes(id) != Self.expectedBytes(token, special: special) {
                wrong += 1
                if wrong < 5 { Issue.record("token \(id) \(token.debugDescription): \(tokenizer.tokenString(id).debugDescription) \(tokenizer.tokenBytes(id))") }
            }
        }
        #expect(wrong == 0)
        #expect(tokenizer.id(forToken: "Ġthe") == tokens.firstIndex(of: "Ġthe"))
        #expect(tokenizer.eosIDs.contains(0))  // <|endoftext|> ends generation
    }

    @Test func aScalarOutsideTheByteAlphabetStandsForItsUTF8() throws {
        let tokens = ["a", "b", "ab", "€", "<s>"]
        let tokenizer = try BPETokenizer(
            tokens: tokens, merges: ["a b"], tokenTypes: [1, 1, 1, 1, 3], preTokenizer: .smollm, bosID: 4, eosIDs: [4], addsBOS: false)
        #expect(tokenizer.tokenBytes(3) == Array("€".utf8))
        #expect(tokenizer.tokenBytes(4) == Array("<s>".utf8))
        #expect(tokenizer.tokenString(3) == "€")
        #expect(tokenizer.encode("ab", parseSpecial: false) == [2])
        #expect(tokenizer.mergeRank(of: 2) == 0)
        #expect(throws: TokenizerError.self) {
            try BPETokenizer(tokens: tokens, merges: ["a c"], tokenTypes: [], preTokenizer: .smollm, bosID: nil, eosIDs: [], addsBOS: false)
        }
    }

    @Test func aMergeResultIsTheFirstIdWithItsSpellingWhateverTheVocabularysOrder() throws {
        // "b c" makes id 4 (guessing results from ranks then expects "a b" at 5, a later "ab"):
        // the first id spelled "ab", 3, is the result, as the index answers.
        let tokens = ["a", "b", "c", "ab", "bc", "ab", "abc"]
        let tokenizer = try BPETokenizer(
            tokens: tokens, merges: ["b c", "a b", "ab c"], tokenTypes: [], preTokenizer: .smollm, bosID: nil, eosIDs: [], addsBOS: false)
        #expect(tokenizer.encode("ab", parseSpecial: false) == [3])
        #expect(tokenizer.encode("bc", parseSpecial: false) == [4])
        #expect(tokenizer.encode("abc", parseSpecial: false) == [0, 4])  // "b c" (rank 0) first, then no "a bc"
        #expect(tokenizer.mergeRank(of: 3) == 1 && tokenizer.mergeRank(of: 5) == nil && tokenizer.mergeRank(of: 6) == 2)
    }
}
