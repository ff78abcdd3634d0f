import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport
import TokenscopeTokenizers

/// SmolLM2's byte-level BPE against HF `tokenizers` (fixtures from
/// Tests/Reference/tokenizers/make_tokenizer_goldens.py).
@Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct BPEGoldenTests {
    static func fixture(_ name: String) throws -> Data {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
        return try Data(contentsOf: url)
    }

    @Test func corpusIdsEqualTheReference() throws {
        let tokenizer = try ModelFixture.smolLM2Tokenizer()
        let text = try Self.fixture("corpus.txt")
        let expected = try Self.fixture("smollm-corpus.u32").withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        #expect(text.count >= 1_000_000)
        let ids = tokenizer.encode(bytes: Array(text), parseSpecial: true)
        #expect(ids.count == expected.count)
        let firstDifference = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first difference at token \(firstDifference ?? -1)")
        #expect(tokenizer.decode(ids) == String(decoding: text, as: UTF8.self))
    }

    @Test func edgeStringsEqualTheReferenceAndRoundTrip() throws {
        let tokenizer = try ModelFixture.smolLM2Tokenizer()
        let strings = try JSONDecoder().decode([String].self, from: Self.fixture("edge-strings.json"))
        let expected = try JSONDecoder().decode([[Int]].self, from: Self.fixture("smollm-edge.json"))
        #expect(strings.count >= 200 && strings.count == expected.count)
        for (text, ids) in zip(strings, expected) {
            let mine = tokenizer.encode(text, parseSpecial: true)
            #expect(mine == ids, "\(text.debugDescription)")
            #expect(tokenizer.decode(mine) == text, "round trip of \(text.debugDescription)")
        }
    }

    @Test func offsetsTileTheInputAndSpecialTokensCanBeOff() throws {
        let tokenizer = try ModelFixture.smolLM2Tokenizer()
        let text = "<|im_start|>user\nHi 12345, don't panic!<|im_end|>"
        let spans = tokenizer.encodeWithOffsets(bytes: Array(text.utf8), parseSpecial: true)
        #expect(spans.first?.id == 1 && spans.last?.id == 2)
        var position = 0
        for span in spans {
            #expect(span.range.lowerBound == position)
            position = span.range.upperBound
        }
        #expect(position == text.utf8.count)
        let literal = tokenizer.encode(text, parseSpecial: false)
        #expect(!literal.contains(1) && !literal.contains(2))
        #expect(tokenizer.decode(literal) == text)
        #expect(tokenizer.encode("Hi 12345", parseSpecial: true).map { tokenizer.decode([$0]) } == ["Hi", " ", "1", "2", "3", "4", "5"])
    }

    @Test func mergeTraceReplaysFromBytesToTokens() throws {
        let tokenizer = try ModelFixture.smolLM2Tokenizer()
        let word = " strawberry"
        let (initial, steps) = tokenizer.mergeTrace(word)
        #expect(initial.count == word.utf8.count)
        #expect(steps.last?.parts == tokenizer.encode(word, parseSpecial: false))
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.parts.count == $1.parts.count + 1 })
        for step in steps { #expect(tokenizer.mergeRank(of: step.result) != nil) }
    }

    @Test func streamingDecodeNeverSplitsACharacter() throws {
        let tokenizer = try ModelFixture.smolLM2Tokenizer()
        let text = "Emoji 👩‍💻 and 東京 and café."
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        var pieces: [String] = []
        for id in tokenizer.encode(text, parseSpecial: false) { pieces.append(decoder.append(id)) }
        pieces.append(decoder.flush())
        #expect(pieces.joined() == text)
        #expect(!pieces.joined().contains("\u{FFFD}"))
    }

    @Test func pathologicalInputsStayLinear() throws {
        let tokenizer = try ModelFixture.smolLM2Tokenizer()
        // Thread CPU time, best of three runs, so a busy machine does not fail the test.
        func seconds(_ bytes: [UInt8]) -> Double {
            ThreadCPUTime.seconds { _ = tokenizer.encode(bytes: bytes, parseSpecial: true) }
        }
        for unit in [" ", "a", "ab", "1", "!", "<|im_start", "🙂", "\r\n", "'s"] {
            // 8× the input: linear time gives ~8× the time, quadratic ~64×. The wide margin absorbs cache
            // effects and the other tests running in parallel on a small machine.
            let small = seconds(Array(String(repeating: unit, count: 25_000).utf8))
            let large = seconds(Array(String(repeating: unit, count: 200_000).utf8))
            #expect(large < max(small, 0.005) * 24, "\(unit.debugDescription): \(small)s → \(large)s")
        }
        // 100 000 spaces: one pre-token of 99 999 spaces and one of 1 (GPT-2's \s+(?!\S)).
        let spaces = tokenizer.encode(String(repeating: " ", count: 100_000), parseSpecial: true)
        #expect(tokenizer.decode(spaces) == String(repeating: " ", count: 100_000))
        // One long line (the corpus without line breaks): 1 MB takes about 8× what 128 kB takes.
        let line = try Self.fixture("corpus.txt").map { $0 == 10 || $0 == 13 ? 32 : $0 }
        let eighth = seconds(Array(line[..<131_072])), whole = seconds(Array(line[..<1_048_576]))
        #expect(whole < max(eighth, 0.005) * 24, "long line: \(eighth)s → \(whole)s")
        let invalid: [UInt8] = [0xFF, 0xFE, 0x41, 0xC3, 0x28, 0xE2, 0x82]
        let ids = tokenizer.encode(bytes: invalid, parseSpecial: true)
        #expect(!ids.isEmpty)
        #expect(tokenizer.encode("", parseSpecial: true).isEmpty)
    }
}
