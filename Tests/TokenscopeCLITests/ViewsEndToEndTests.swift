import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Attention, embeddings and forward views on the real model, in tmux

/// Drives the built `tokenscope` binary on the real default model through the attention, embeddings
/// and forward-pass views, and checks what a user would see.
@Suite("Views end to end (real model, tmux)", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct ViewsEndToEndTests {
    /// The first row of the sampling view's candidate table: its token text.
    static func samplingTop(_ screen: String) -> String? {
        for line in screen.split(separator: "\n") where line.contains("▶") {
            let fields = line.split(separator: " ")
            if let index = fields.firstIndex(of: "▶"), index + 2 < fields.count { return String(fields[index + 2]) }
        }
        return nil
    }

    /// The logit lens's last row ("block 29 …"): its top token, quoted.
    static func lensTop(_ screen: String, blocks: Int) -> String? {
        guard let line = screen.split(separator: "\n").first(where: { $0.contains(" block \(blocks - 1) ") && $0.contains("\"") }),
            let open = line.lastIndex(of: "\""), let start = line[..<open].lastIndex(of: "\"")
        else { return nil }
        return String(line[line.index(after: start)..<open])
    }

    @Test func attentionEmbeddingsAndForwardOnTheRealModel() throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 120, height: 40, command: "\(binary) 'The capital of France is'", environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)

        // Sampling view: the most likely next token.
        try session.send("2")
        let sampling = try session.waitFor("the sampling table") { Self.samplingTop($0) != nil }
        let top = try #require(Self.samplingTop(sampling))
        #expect(top == "␣Paris")

        // Forward view: the logit lens's final layer agrees; the pipeline and the KV ledger are there.
        try session.send("5")
        let forward = try session.waitFor("the logit lens") { Self.lensTop($0, blocks: 30) != nil }
        #expect(Self.lensTop(forward, blocks: 30) == top)
        #expect(forward.contains("Q 9×64") && forward.contains("K 3×64") && forward.contains("gate"))
        #expect(forward.contains("sampled: \"␣Paris\""))
        #expect(forward.contains("KV cache: 5 tokens") && forward.contains("in 30 layers"))
        #expect(forward.contains("prefill (time to first token)"))
        try session.send("Down", "Down")
        try session.waitFor(text: "block 2 (0–29)")

        // Attention view: layers and heads move; the header names the shared KV head.
        try session.send("3")
        try session.waitFor(text: "layer 2 (0–29) · head 0 (0–8) · shares KV head 0 (0–2)")
        try session.send(".", ".", ".", ".", "Up")
        // The header changes at once; the layer's attention arrives a moment later (no stale frame).
        let head = try session.waitFor("layer 2, head 5 with its attention") {
            $0.contains("layer 1 (0–29) · head 4 (0–8) · shares KV head 1 (0–2) with heads 3–5") && $0.contains("attends to")
        }
        #expect(head.contains("entropy"))
        try session.send("h")
        try session.waitFor(text: "all 9 heads (3 KV heads)")
        try session.send("o")
        // The frame reaches tmux in pieces: wait for the grid itself, not just its headline.
        let overview = try session.waitFor("the overview grid") {
            $0.contains("overview 30×9") && $0.contains("L0") && $0.contains("H8")
        }
        #expect(overview.contains("1st") || overview.contains("prv") || overview.contains("dif"), "some head has a clear pattern")
        try session.send("Down", ".", "Enter")
        try session.waitFor(text: "layer 2 (0–29) · head 5 (0–8)")
        try session.send("s")
        try session.waitFor(text: "pre-softmax score")

        // Embeddings view: neighbours of the selected token, then an analogy.
        try session.send("4")
        try session.waitFor(text: "nearest to \"␣is\"")
        try session.send("w")
        try session.send("king - man + woman", literal: true)
        try session.send("Enter")
        let analogy = try session.waitFor(text: "king − man + woman ≈")
        #expect(analogy.contains(" 1 "), "a ranked list")
        #expect(analogy.contains(" 1 ␣queen"), "queen is the nearest result")
        #expect(analogy.contains("contextual vs static"))
        try session.send("q")
    }
}
