import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - The second prompt of the side by side

/// The second prompt's run: a session of its own on the same `TransformerModel` (the weights are
/// shared, not copied; only the KV cache and the trace are its own), so the explorer's session,
/// its sequence and its undo history are never touched.
struct SecondPromptRun {
    /// The prompt as typed and whether it was wrapped as a ChatML user turn.
    let prompt: String
    let chat: Bool
    /// The run, with full observation (attention rows for the attention view).
    let session: InferenceSession
    /// Its tokens, each with the probability the model gave it.
    let tokens: [TokenInfo]
}

extension LiveExplorerEngine {
    /// Answers a side-by-side request: runs the second prompt when it is not the one kept (a new
    /// prompt replaces the kept run only once it has run), then reads the part asked for.
    func secondPrompt(_ request: SecondPromptRequest) throws -> SecondPromptData {
        let run = try secondPromptRun(prompt: request.prompt, chat: request.chat)
        let session = run.session
        switch request.part {
        case .nextToken(let fromEnd):
            let position = max(0, session.count - 1 - max(0, fromEnd))
            let logits = position == session.count - 1 ? session.lastLogits : try session.logits(at: position)
            var texts: [Int: String] = [:]
            for candidate in Softmax.top(logits, count: 64) { texts[candidate.id] = candidateText(candidate.id) }
            return SecondPromptData(request: request, tokens: run.tokens, position: position, logits: logits, texts: texts, attention: nil)
        case .layer(let layer, let scores):
            let showsScores = scores && session.trace.hasScores
            let matrices = try session.layerAttention(layer: layer, probabilities: !showsScores, scores: showsScores, tokenIDs: session.tokens)
            let attention = LayerAttention(
                tokenIDs: session.tokens, layer: layer, isScores: showsScores,
                heads: showsScores ? matrices.scores : matrices.probabilities, statistics: matrices.statistics)
            return SecondPromptData(request: request, tokens: run.tokens, position: session.count - 1, logits: [], texts: [:], attention: attention)
        }
    }

    /// The kept run of `prompt`, or a new one (the prefill of a fresh session on the same model).
    func secondPromptRun(prompt: String, chat: Bool) throws -> SecondPromptRun {
        if let kept = secondRun, kept.prompt == prompt, kept.chat == chat { return kept }
        let text = chat ? ChatTemplate.chatML.render([ChatMessage(role: .user, content: prompt)], addGenerationPrompt: true) : prompt
        let ids = model.promptTokens(text)
        let limit = model.configuration.contextLength
        guard ids.count <= limit else {
            throw ModelError.invalidRequest("the second prompt is \(ids.count) tokens, longer than the model's context of \(limit)")
        }
        let session = InferenceSession(model: model, options: TraceOptions(level: .full, recordsScores: true))
        try session.append(ids)
        var tokens = [info(ids[0], generated: false, probability: nil)]
        try session.forEachLogits(in: 0..<(ids.count - 1)) { position, logits in
            let id = ids[position + 1]
            tokens.append(info(id, generated: false, probability: Softmax.probability(of: id, in: logits), logits: logits))
        }
        let run = SecondPromptRun(prompt: prompt, chat: chat, session: session, tokens: tokens)
        secondRun = run
        return run
    }
}
