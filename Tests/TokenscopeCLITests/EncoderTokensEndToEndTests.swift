import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - The encoder's tokens view, in tmux

/// MiniLM's tokens view as a user sees it: WordPiece cuts rather than a BPE replay, counts in the
/// right number, and a comparison with the other cached tokenizer (SmolLM2's), not with MiniLM itself.
@Suite("Encoder tokens view end to end (tmux)",
       .enabled(if: ModelFixture.shouldRunMiniLM && ModelFixture.shouldRun, "needs all-MiniLM-L6-v2 and SmolLM2: run `tokenscope fetch`"))
struct EncoderTokensEndToEndTests {
    @Test(arguments: [(120, 40), (80, 24)])
    func tokensViewSaysTrueThingsAboutWordPiece(size: (Int, Int)) throws {
        let folder = try ModelFixture.requireMiniLMFolder()
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let command = "'\(binary)' --model '\(folder)' 'Paris'"
        let session = try TmuxSession(width: size.0, height: size.1, command: command, environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        let screen = try session.waitFor(text: "ran 3 prompt tokens", timeout: 60)
        #expect(screen.contains(" 5 characters · 5 bytes · 1 word · 3 tokens"), "\(screen)")
        #expect(!screen.contains("1 words"))
        #expect(screen.contains("SmolLM2 BPE"), "the encoder is compared with the decoder's tokenizer:\n\(screen)")
        #expect(!screen.contains("MiniLM is not in the model cache"))
        #expect(screen.contains("WordPiece: [SEP] is a special token"))
        #expect(!screen.contains("BPE replay") && !screen.contains("[/] replay"))

        // The word itself: one cut, the whole word an entry.
        try session.send("Left")
        let word = try session.waitFor(text: "WordPiece cuts of \"paris\" (token 1)")
        #expect(word.contains("1  paris → paris"))
        #expect(word.contains("the whole word is an entry"))

        // The explain panel says only what an encoder does (its lines joined: it wraps at 80 columns).
        func flat(_ screen: String) -> String {
            screen.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        try session.send("y")
        let explain = flat(try session.waitFor("the explain panel") { flat($0).contains("An encoder predicts no tokens") })
        #expect(explain.contains("WordPiece keeps the word whole"))
        #expect(!explain.contains("first token") && !explain.contains("merge rank"))
    }
}
