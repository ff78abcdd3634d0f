import Foundation
import Testing
@testable import TokenscopeTokenizers

/// The regex engine against the hand-written scanners: the GPT-2, Llama 3 and Qwen 2 patterns run
/// on `SplitRegex` must split the 1.1 MB corpus and every edge string exactly as the scanners do
/// (which are themselves checked against HF `tokenizers` in BPEFilesTests), and the engine's
/// syntax errors are errors.
@Suite struct SplitRegexTests {
    static let patterns: [(String, PreTokenizer.Stage)] = [
        (#"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"#, .gpt2),
        (#"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#, .llama3(digits: 3)),
        (#"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#, .llama3(digits: 1)),
        (#"\p{N}"#, .singleDigits),
    ]

    @Test func regexEqualsScannersOnCorpusAndEdgeStrings() throws {
        let corpus = try BPEGoldenTests.fixture("corpus.txt")
        let edgeData = try BPEGoldenTests.fixture("edge-strings.json")
        let edges = try JSONDecoder().decode([String].self, from: edgeData)
        let texts: [[UInt8]] = [Array(corpus)] + edges.map { Array($0.utf8) } + [[0xFF, 0x41, 0x20, 0x20, 0xC3], Array("a  \n\n  b\r\n\t x".utf8)]
        for (pattern, stage) in Self.patterns {
            let regex = PreTokenizer(name: "regex", family: "regex", stages: [.regex(try SplitRegex(pattern))])
            let scanner = PreTokenizer(name: "scanner", family: "scanner", stages: [stage])
            for text in texts {
                let a = text.withUnsafeBufferPointer { regex.pieces(of: $0) }
                let b = text.withUnsafeBufferPointer { scanner.pieces(of: $0) }
                #expect(a == b, "\(pattern) on \(String(decoding: text.prefix(60), as: UTF8.self).debugDescription)")
            }
        }
    }

    @Test func everyCatalogPatternCompiles() throws {
        for name in PreTokenizerCatalog.names {
            let stages = try PreTokenizerCatalog.stages(name)
            #expect(stages?.isEmpty == false, "\(name)")
        }
    }

    @Test func badPatternsAreErrors() {
        for pattern in ["(", "[a-", "a{2", "\\p{Xx}", "a+?", "(?<x>a)", "\\q", "[z-a]", ")"] {
            #expect(throws: TokenizerError.self, "\(pattern)") { _ = try SplitRegex(pattern) }
        }
    }

    @Test func semanticsFollowLlamaCpp() throws {
        func split(_ pattern: String, _ text: String) throws -> [String] {
            let pre = PreTokenizer(name: "t", family: "t", stages: [.regex(try SplitRegex(pattern))])
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { buffer in pre.pieces(of: buffer).map { String(decoding: buffer[$0], as: UTF8.self) } }
        }
        // Unmatched text between matches is a piece of its own ("isolated").
        #expect(try split(#"\p{N}+"#, "ab12cd3") == ["ab", "12", "cd", "3"])
        // `$` is the end of the piece being split.
        #expect(try split(#"\s+$"#, "a  b  ") == ["a  b", "  "])
        // Non-ASCII white space is \s; \p{Lu} reads as \p{L}, as in llama.cpp.
        #expect(try split(#"\s+"#, "a\u{3000}b") == ["a", "\u{3000}", "b"])
        #expect(try split(#"\p{Lu}+"#, "éA1") == ["éA", "1"])
        // Lookahead, counted repetition, alternation order (leftmost first, not longest).
        #expect(try split(#"a(?=b)|ab"#, "abab") == ["a", "b", "a", "b"])
        #expect(try split(#"\d{1,3}"#, "12345") == ["123", "45"])
        #expect(try split(#" ?[^(\s|.,!?…)]+"#, "hi there, (x)") == ["hi", " there", ", (", "x", ")"])
    }
}
