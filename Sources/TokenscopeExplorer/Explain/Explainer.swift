import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - What the explain panel says

/// Two to six sentences about the view on screen and its selection, built from the same numbers
/// the view draws, formatted the way the view formats them (so a learner can find each one on
/// screen), and the glossary terms they use.
public enum Explainer {
    /// The explanation of the current view, or a sentence saying what it is waiting for.
    public static func sentences(_ state: AppState) -> [String] {
        guard state.selected < state.tokens.count else { return ["The prompt is still running: the explanation follows its numbers."] }
        switch state.view {
        case .tokens: return tokens(state)
        case .sampling: return sampling(state)
        case .attention: return attention(state)
        case .embeddings: return embeddings(state)
        case .forward: return forward(state)
        case .why: return AttributionExplainer.sentences(state)
        case .search: return search(state)
        case .similarity: return similarity(state)
        }
    }

    /// Glossary terms the explanation of `view` rests on (an encoder's tokens view: WordPiece's,
    /// not BPE's).
    public static func terms(_ view: ViewKind, encoder: Bool = false) -> [String] {
        if encoder && view == .tokens { return ["token", "WordPiece", "special token", "encoder"] }
        return switch view {
        case .tokens: ["token", "byte-level BPE", "merge rank", "special token", "chat template", "WordPiece"]
        case .sampling: ["logit", "softmax", "temperature", "top-k", "top-p", "min-p", "dice", "entropy", "perplexity"]
        case .attention: ["attention", "Q/K/V", "causal mask", "grouped-query attention", "attention sink", "previous-token head", "encoder"]
        case .embeddings: ["embedding", "cosine similarity", "analogy", "PCA", "hidden state"]
        case .forward: ["residual stream", "RMSNorm", "RoPE", "feed-forward", "logit lens", "KV cache", "prefill"]
        case .why: ["direct logit attribution", "occlusion", "activation patching", "logit", "residual stream", "attention head"]
        case .search: ["semantic search", "BM25", "chunk", "sentence embedding", "retrieval-augmented generation", "hallucination"]
        case .similarity: ["encoder", "sentence embedding", "cosine similarity", "WordPiece"]
        }
    }

    static func quoted(_ text: String) -> String { "\"\(TokenSpelling.visible(text))\"" }

    // MARK: Views

    static func tokens(_ state: AppState) -> [String] {
        let token = state.tokens[state.selected]
        let counts = Counts(state)
        // An encoder's tokens include the special tokens put around the text: say so.
        let added = state.isEncoder ? state.tokens.filter { $0.kind == .control }.map(\.piece) : []
        let including = added.isEmpty ? "" : " (" + Set(added).sorted().joined(separator: " and ") + " included)"
        var out = ["The text is " + Plural.count(counts.characters, "character") + " in " + Plural.count(counts.tokens, "token") + including
            + String(format: ", %.2f characters per token: the model reads tokens, never letters.", counts.charactersPerToken)]
        let wordPiece = state.isEncoder || state.analysis?.isWordPiece == true
        var detail = "Token \(state.selected) is \(wordPiece ? quoted(token.piece) : quoted(token.text)), vocabulary id \(token.id)"
        if let rank = token.mergeRank {
            detail += ", made by the BPE merge of rank \(rank) (lower ranks were learned first and are applied first)."
        } else if token.kind == .control {
            detail += wordPiece ? ", a special token: put around the text (or matched whole), never cut from a word."
                : ", a special token: matched whole, never built by merges."
        } else if token.kind == .unknown && wordPiece {
            detail += ", the unknown token: it stands for a whole word the vocabulary cannot spell."
        } else {
            detail += "."
        }
        out.append(detail)
        if state.isEncoder {
            out.append("An encoder predicts no tokens: it reads the whole text at once, so no token has a probability.")
        } else if let p = token.probability {
            out.append(String(format: "Before reading it, the model gave this token %.2f%%", p * 100)
                + (token.rank.map { " (rank \($0 + 1) of its predictions)." } ?? "."))
        } else {
            out.append("It is the first token: nothing came before to predict it.")
        }
        if let replay = state.analysis?.replay, state.analysis?.position == state.selected {
            out.append("BPE builds \"\(replay.word)\" from \(Plural.count(replay.initial.count, "single byte")) in \(Plural.count(replay.stepCount, "merge")); [ and ] replay them one by one.")
        }
        if let pieces = state.analysis?.wordPieces, state.analysis?.position == state.selected {
            if pieces.steps.count == 1 {
                out.append("\"\(pieces.word)\" is a vocabulary entry, so WordPiece keeps the word whole; WordPiece merges nothing, it cuts.")
            } else {
                out.append("WordPiece cuts \"\(pieces.word)\" into " + pieces.steps.map(\.piece).joined(separator: " + ")
                    + ", each time taking the longest vocabulary entry that begins what is left (## marks a piece inside a word); it merges nothing.")
            }
        }
        if let comparison = state.analysis?.comparisons.first, state.tokensView.showComparison {
            out.append("\(comparison.name) cuts the same text into \(Plural.count(comparison.ids.count, "token")), this model into \(state.tokens.count).")
        }
        return out
    }

    static func sampling(_ state: AppState) -> [String] {
        guard let result = SamplingView.result(state, rows: SamplingView.candidateRows(Rect(x: 0, y: 2, width: state.width, height: state.height - 4))),
            let top = result.candidates.first
        else { return ["The next-token distribution is being computed."] }
        let token = state.tokens[state.selected]
        let s = state.settings
        var out = [String(format: "After token %d %@ the model gives every one of its %@ tokens a probability; %@ is the most likely with %.2f%% (logit %.3f)",
                          state.selected, quoted(token.text), SamplingView.grouped(result.vocabularySize), quoted(TokenText.text(top.id, state)),
                          top.probability * 100, top.logit)
            + (s.isGreedy ? "." : String(format: " at temperature %.1f.", s.temperature))]
        if result.candidates.count > 1 {
            let second = result.candidates[1]
            out.append(String(format: "Next comes %@ with %.2f%%.", quoted(TokenText.text(second.id, state)), second.probability * 100))
        }
        out.append(String(format: "The entropy is %.2f bits: the model is as unsure as a choice between %.1f equally likely tokens.", result.entropyBits, result.perplexity))
        if s.isGreedy {
            out.append("Temperature 0 is greedy decoding: the most likely token is always taken, no dice are rolled.")
        } else {
            let kept = result.survivorCount
            let keptTop = top.keptProbability
            out.append("The filters (top-k, then top-p, then min-p) keep \(kept == 1 ? "1 token" : "\(SamplingView.grouped(kept)) tokens"); renormalised, "
                + String(format: "%@ holds %.2f%% of the draw.", quoted(TokenText.text(top.id, state)), keptTop * 100))
            out.append(String(format: "The dice rolled u = %.3f, which picked %@ (rank %d); space appends it.",
                              result.draw, quoted(TokenText.text(result.chosenID, state)), result.chosenRank + 1))
        }
        return out
    }

    static func attention(_ state: AppState) -> [String] {
        let ids = state.tokens.map(\.id)
        guard let data = state.attentionView.layerData, data.tokenIDs == ids, data.layer == state.layer, !data.heads.isEmpty else {
            return ["The attention of layer \(state.layer) is being computed."]
        }
        if state.attentionView.mode == .overview {
            return ["The overview shows every layer × head as a thumbnail with its mean row entropy in bits and its pattern: prv (previous token), 1st (first token, the attention sink), slf (itself), dif (diffuse).",
                    "Enter opens the head under the cursor; ↑/↓ and ←/→ move it."]
        }
        if state.attentionView.crossModel.isOpen && state.attentionView.mode == .head { return crossModel(state, data) }
        let head = min(state.head, data.heads.count - 1)
        let matrix = state.attentionView.averageHeads ? data.average : data.heads[head]
        let stats = state.attentionView.averageHeads ? data.average.statistics() : data.statistics[head]
        let q = min(state.selected, matrix.count - 1)
        var weights = matrix.keys(of: q).map { ($0, matrix.value(query: q, key: $0)) }
        if state.attentionView.hideFirst && q > 0 { weights.removeFirst() }
        weights.sort { $0.1 > $1.1 }
        let who = state.attentionView.averageHeads ? "The mean of layer \(state.layer)'s heads" : "This head (layer \(state.layer), head \(state.head))"
        var out = [state.isEncoder
            ? "Row \(q) is the token \(quoted(state.tokens[q].text)): its query is compared with the keys of every token of the text, before and after it (an encoder has no causal mask)."
            : "Row \(q) is the token \(quoted(state.tokens[q].text)): its query is compared with the keys of itself and the \(q == 1 ? "token" : "\(q) tokens") before it, never later ones (the causal mask)."]
        let top = weights.prefix(2).map { String(format: "%.3f to %@%@", $0.1, quoted(state.tokens[$0.0].text), $0.0 == q ? " itself" : "") }
        if matrix.isScores {
            out.append("\(who) scores them before the softmax (q·k/√d): " + top.joined(separator: ", ") + ".")
        } else {
            out.append("\(who) gives " + top.joined(separator: " and ") + " of this row's attention; a row's weights add up to 1.")
        }
        out.append(String(format: "Averaged over its rows, the head's entropy is %.2f bits, and its pattern is %@.", stats.entropy, AttentionView.patternName(stats.pattern)))
        guard state.kvHeadCount < state.headCount else { return out }
        let group = max(1, state.headCount / max(1, state.kvHeadCount))
        let kv = AttentionView.kvHead(state.head, state)
        out.append("It shares its keys and values with heads \(kv * group)–\(kv * group + group - 1) (KV head \(kv) of 0–\(state.kvHeadCount - 1): grouped-query attention).")
        return out
    }

    static func embeddings(_ state: AppState) -> [String] {
        guard let report = state.embeddingsView.report, report.tokenIDs == state.tokens.map(\.id) else { return ["The embeddings are being computed."] }
        var out: [String] = []
        let near = report.neighbours.prefix(2).map { String(format: "%@ (%.3f)", quoted($0.text), $0.similarity) }
        if report.terms.isEmpty {
            out.append("Every token starts as one row of the embedding matrix; the rows nearest to \(quoted(report.queryLabel)) by cosine similarity are " + near.joined(separator: " and ") + ".")
        } else {
            out.append("The analogy adds and subtracts embedding rows; the result is nearest to " + near.joined(separator: " and ") + " (the inputs excluded).")
        }
        out.append("The scatter projects these rows of 576 numbers onto their two main directions (PCA): distances there are only a rough guide.")
        let q = min(state.selected, state.tokens.count - 1)
        out.append(String(format: "After block %d the hidden state of token %d %@ has norm %.1f and cosine %.3f with its static embedding: the context has changed it.",
                          report.layer - 1, q, quoted(state.tokens[q].text), report.hiddenNorm, report.hiddenToStatic))
        return out
    }

    static func forward(_ state: AppState) -> [String] {
        guard let d = state.forwardView.details, d.tokenIDs == state.tokens.map(\.id), d.request == .forward(position: state.selected, layer: state.layer) else {
            return ["The forward pass figures are being computed."]
        }
        let b = d.block
        var out = [String(format: "Token %d %@ (id %d) enters as an embedding row of norm %@; each of the %d blocks adds to this residual stream.",
                          state.selected, quoted(state.tokens[state.selected].text), d.tokenID, ForwardView.norm(d.embeddingNorm), d.configuration.blockCount)]
        out.append(String(format: "Block %d normalises it (RMSNorm), computes Q %@, K %@ and V %@, rotates Q and K by position %d (RoPE), and its attention adds %@.",
                          b.layer, ForwardView.norm(b.queryNorm), ForwardView.norm(b.keyNorm), ForwardView.norm(b.valueNorm), b.position, ForwardView.norm(b.attentionOutputNorm)))
        out.append(String(format: "Its SwiGLU feed-forward adds %@ (%.0f%% of SiLU(gate) × up is near zero), leaving the stream at %@.",
                          ForwardView.norm(b.mlpOutputNorm), b.nearZeroFraction * 100, ForwardView.norm(b.outputNorm)))
        if let last = d.lens.last?.top.first {
            var depth = d.lens.count - 1
            while depth > 0, d.lens[depth - 1].top.first?.id == last.id { depth -= 1 }
            out.append(String(format: "The logit lens reads the stream after every block: the output %@ (%.4f) is the top prediction from %@ on.",
                              quoted(TokenText.text(last.id, state)), last.probability, d.lens[depth].blocks == 0 ? "the embedding" : "block \(d.lens[depth].blocks - 1)"))
        }
        out.append("The KV cache holds \(Plural.count(d.cachedTokens, "token")), \(ForwardView.bytes(d.kvBytesPerLayer * d.configuration.blockCount)) in \(d.configuration.blockCount) layers: a new token computes only its own keys and values.")
        return out
    }
}
