import Foundation
import TokenscopeTransformer
import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Reading live values off the explorer's state

/// Resolves `LivePath`s against the explorer's state: the same figures the views draw, formatted
/// the way narration quotes them. Probabilities are fractions in checks and percentages in text.
public struct LiveValues: Sendable {
    /// The state read.
    public let state: AppState
    /// The vocabulary id of a text when it is exactly one token (for `token("…")`), if known.
    public let tokenID: @Sendable (String) -> Int?

    /// Values of `state`; `tokenID` looks up `token("…")` arguments.
    public init(state: AppState, tokenID: @escaping @Sendable (String) -> Int? = { _ in nil }) {
        self.state = state
        self.tokenID = tokenID
    }

    /// The value at `path`, or why it cannot be read now.
    public func value(_ path: LivePath) throws(LiveValueError) -> LiveValue {
        let s = path.segments
        let root = s[0].name
        let (stem, number) = Self.split(root)
        let field = s.count > 1 ? s[1].name : ""
        switch stem {
        case "prompt": return .text(state.prompt)
        case "view": return .text(state.view.rawValue)
        case "text": return .text(state.tokens.map(\.text).joined())
        case "tokens":
            if field == "count" || field.isEmpty { return Self.count(state.tokens.count) }
            if field == "list" { return .text(state.tokens.map { TokenChip(token: $0).label }.joined(separator: " · ")) }
            if field == "characters" || field == "bytes" {
                let counts = Counts(state.tokens)
                return Self.count(field == "bytes" ? counts.bytes : counts.characters)
            }
            guard let n = Int(field), n >= 1, n <= state.tokens.count else { throw LiveValueError("\(path.text): there are \(state.tokens.count) tokens") }
            return try tokenField(state.tokens[n - 1], position: n - 1, s.count > 2 ? s[2].name : "text", path)
        case "token":
            if let argument = s[0].argument { return try candidate(argument, field, path) }
            guard state.selected < state.tokens.count else { throw LiveValueError("\(path.text): no token is selected") }
            if field == "position" { return Self.count(state.selected) }
            return try tokenField(state.tokens[state.selected], position: state.selected, field.isEmpty ? "text" : field, path)
        case "next":
            guard state.selected + 1 < state.tokens.count else { throw LiveValueError("\(path.text): the selected token is the last one") }
            return try tokenField(state.tokens[state.selected + 1], position: state.selected + 1, field.isEmpty ? "text" : field, path)
        case "generated":
            let generated = state.tokens.enumerated().filter { $0.element.generated }
            switch field {
            case "", "text": return .text(generated.map(\.element.text).joined())
            case "count": return Self.count(generated.count)
            case "repeats":
                // Generated tokens that end a 4-token run already seen earlier in the sequence.
                let ids = state.tokens.map(\.id)
                var seen = Set<[Int]>(), repeats = 0
                for end in 4...max(4, ids.count) where end <= ids.count {
                    let run = Array(ids[(end - 4)..<end])
                    if state.tokens[end - 1].generated && seen.contains(run) { repeats += 1 }
                    seen.insert(run)
                }
                return Self.count(repeats)
            case "min_prob":
                guard let lowest = generated.compactMap(\.element.probability).min() else { throw LiveValueError("\(path.text): nothing generated yet") }
                return Self.probability(Double(lowest))
            default:
                guard let n = Int(field), n >= 1, n <= generated.count else { throw LiveValueError("\(path.text): \(generated.count) tokens generated") }
                let (position, token) = generated[n - 1]
                return try tokenField(token, position: position, s.count > 2 ? s[2].name : "text", path)
            }
        case "top", "entropy", "perplexity", "kept", "vocab", "chosen", "draw":
            return try sampling(stem, number, field, path)
        case "temperature": return .number(Double(state.settings.temperature), display: String(format: "%.1f", state.settings.temperature))
        case "top_k": return Self.count(state.settings.topK)
        case "top_p": return .number(Double(state.settings.topP), display: String(format: "%.2f", state.settings.topP))
        case "min_p": return .number(Double(state.settings.minP), display: String(format: "%.2f", state.settings.minP))
        case "seed": return .number(Double(state.settings.seed % 100_000), display: String(state.settings.seed % 100_000))
        case "layer": 
            if field == "best_induction" || field == "best_previous" { return try bestInLayer(field, s.count > 2 ? s[2].name : "head", path) }
            return Self.count(state.layer)
        case "head":
            if field.isEmpty { return Self.count(state.head) }
            return try head(field, path)
        case "layers": return Self.count(state.layerCount)
        case "heads": return Self.count(state.headCount)
        case "kv_heads": return Self.count(state.kvHeadCount)
        case "group": return Self.count(state.headCount / max(1, state.kvHeadCount))
        case "kv_head": return Self.count(state.head / max(1, state.headCount / max(1, state.kvHeadCount)))
        case "row": return try row(number: number ?? 1, field.isEmpty ? "text" : field, path)
        case "overview": return try overview(field, s.count > 2 ? s[2].name : "head", path)
        case "query", "neighbor", "static", "contextual", "hidden": return try embeddings(stem, number, field, path)
        case "lens", "kv", "context", "block", "embedding": return try forward(stem, s.dropFirst().map(\.name), path)
        case "prefill", "decode": return try timing(stem, field, path)
        case "replay", "compare": return try tokensView(stem, field, path)
        case "guess": return try guess(s.dropFirst().map(\.name), path)
        default: throw LiveValueError("unknown live value '\(path.text)'")
        }
    }

    /// Narration with every `{path}` replaced by its value; `{{`/`}}` give literal braces.
    public func fill(_ text: String) throws(LiveValueError) -> String {
        let found: [(path: LivePath, range: Range<String.Index>)]
        do { found = try LivePath.placeholders(in: text) } catch { throw LiveValueError(error.reason) }
        var out = ""
        var index = text.startIndex
        for (path, range) in found {
            out += text[index..<range.lowerBound]
            out += try value(path).display
            index = range.upperBound
        }
        out += text[index...]
        return out.replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")
    }

    // MARK: Formatting

    /// `top12` → ("top", 12).
    static func split(_ name: String) -> (String, Int?) {
        let digits = name.reversed().prefix { $0.isNumber }
        guard !digits.isEmpty, digits.count < name.count else { return (name, nil) }
        return (String(name.dropLast(digits.count)), Int(String(digits.reversed())))
    }

    /// A probability: the fraction for checks, a percentage for text (`91.5 %`, `0.42 %`, `0.0031 %`,
    /// `0.000030 %`: two significant digits, never an exponent; below 10⁻⁸ % it reads `< 0.00000001 %`).
    static func probability(_ p: Double) -> LiveValue {
        let percent = p * 100
        let display: String
        if percent >= 10 {
            display = String(format: "%.1f %%", percent)
        } else if percent >= 0.1 {
            display = String(format: "%.2f %%", percent)
        } else if percent >= 1e-8 {
            let decimals = Int((-log10(percent)).rounded(.up)) + 1
            display = String(format: "%.\(decimals)f %%", percent)
        } else {
            display = percent > 0 ? "< 0.00000001 %" : "0 %"
        }
        return .number(p, display: display)
    }

    static func count(_ n: Int) -> LiveValue { .number(Double(n), display: SamplingView.grouped(n)) }
    static func decimal(_ x: Double, _ digits: Int) -> LiveValue { .number(x, display: String(format: "%.\(digits)f", x)) }

    // MARK: Tokens

    func tokenField(_ token: TokenInfo, position: Int, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        switch field {
        case "text": return .text(TokenSpelling.visible(token.text))
        case "raw": return .text(token.text)
        case "id": return .number(Double(token.id), display: String(token.id))
        case "position": return Self.count(position)
        case "piece": return .text(token.piece)
        case "bytes": return Self.count(token.bytes.count)
        case "kind": return .text(token.kind == .control ? "control" : "\(token.kind)")
        case "merge_rank":
            guard let rank = token.mergeRank else { throw LiveValueError("\(path.text): the token was not made by a merge") }
            return .number(Double(rank), display: String(rank))
        case "prob":
            guard let p = token.probability else { throw LiveValueError("\(path.text): nothing predicted the first token") }
            return Self.probability(Double(p))
        case "rank":
            guard let rank = token.rank else { throw LiveValueError("\(path.text): the first token has no rank") }
            return Self.count(rank + 1)
        default: throw LiveValueError("\(path.text): a token has text, raw, id, position, piece, bytes, kind, merge_rank, prob, rank")
        }
    }

    // MARK: Sampling

    /// The sampler's result as the sampling view computes it (same listing).
    func samplingResult(_ path: LivePath) throws(LiveValueError) -> SamplingResult {
        guard let analysis = state.analysis, analysis.position == state.selected else {
            throw LiveValueError("\(path.text): the next-token distribution is not computed yet")
        }
        return SamplingMemo.shared.result(logits: analysis.logits, settings: state.settings, position: state.selected + 1,
                                          listing: max(64, max(12, state.height)))
    }

    func sampling(_ stem: String, _ number: Int?, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        let result = try samplingResult(path)
        switch stem {
        case "entropy": return Self.decimal(result.entropyBits, 2)
        case "perplexity": return Self.decimal(result.perplexity, 1)
        case "kept": return Self.count(result.survivorCount)
        case "vocab": return Self.count(result.vocabularySize)
        case "draw": return Self.decimal(result.draw, 3)
        case "chosen":
            guard let chosen = result.chosen else { throw LiveValueError("\(path.text): nothing chosen") }
            return try candidateField(chosen, field.isEmpty ? "text" : field, path)
        default:
            let n = number ?? 1
            guard n >= 1, n <= result.candidates.count else { throw LiveValueError("\(path.text): only \(result.candidates.count) candidates are listed") }
            return try candidateField(result.candidates[n - 1], field.isEmpty ? "text" : field, path)
        }
    }

    func candidateField(_ c: SampledCandidate, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        switch field {
        case "text": return .text(TokenSpelling.visible(TokenText.text(c.id, state)))
        case "id": return .number(Double(c.id), display: String(c.id))
        case "prob": return Self.probability(c.probability)
        case "raw":
            guard let analysis = state.analysis, let p = Softmax.probability(of: c.id, in: analysis.logits) else { throw LiveValueError("\(path.text): no logits") }
            return Self.probability(Double(p))
        case "kept": return Self.probability(c.keptProbability)
        case "logit": return Self.decimal(Double(c.logit), 2)
        case "rank": return Self.count(c.rank + 1)
        case "cumulative": return Self.probability(c.cumulative)
        default: throw LiveValueError("\(path.text): a candidate has text, id, prob, raw, kept, logit, rank, cumulative")
        }
    }

    /// `token("…")`: the probability, logit or rank of a given next token at the selected position.
    func candidate(_ text: String, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        guard let analysis = state.analysis, analysis.position == state.selected else {
            throw LiveValueError("\(path.text): the next-token distribution is not computed yet")
        }
        let id = tokenID(text) ?? analysis.texts.first { $0.value == text }?.key
        guard let id, id >= 0, id < analysis.logits.count else { throw LiveValueError("\(path.text): \"\(text)\" is not a single token") }
        let logit = analysis.logits[id]
        switch field {
        case "prob":
            let t = state.settings.isGreedy ? 1 : Double(state.settings.temperature)
            let m = Double(analysis.logits.max() ?? 0)
            var sum = 0.0
            for l in analysis.logits { sum += exp((Double(l) - m) / t) }
            return Self.probability(exp((Double(logit) - m) / t) / sum)
        case "raw": return Self.probability(Double(Softmax.probability(of: id, in: analysis.logits) ?? 0))
        case "logit": return Self.decimal(Double(logit), 2)
        case "rank": return Self.count(analysis.logits.filter { $0 > logit }.count + 1)
        case "id": return .number(Double(id), display: String(id))
        case "", "text": return .text(TokenSpelling.visible(text))
        default: throw LiveValueError("\(path.text): token(\"…\") has prob, raw, logit, rank, id, text")
        }
    }

    // MARK: Attention

    func layerData(_ path: LivePath) throws(LiveValueError) -> LayerAttention {
        guard let data = state.attentionView.layerData, data.tokenIDs == state.tokens.map(\.id), data.layer == state.layer else {
            throw LiveValueError("\(path.text): the attention of layer \(state.layer + 1) is not computed (it is, in the attention view)")
        }
        return data
    }

    func head(_ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        let data = try layerData(path)
        let index = min(state.head, data.heads.count - 1)
        let stats = data.statistics[index]
        switch field {
        case "pattern": return .text(AttentionView.patternName(stats.pattern))
        case "entropy": return Self.decimal(stats.entropy, 2)
        case "previous": return Self.probability(stats.previousTokenWeight)
        case "first": return Self.probability(stats.firstTokenWeight)
        case "self": return Self.probability(stats.selfWeight)
        case "induction": return Self.probability(Self.inductionScore(data.heads[index], ids: data.tokenIDs))
        default: throw LiveValueError("\(path.text): a head has pattern, entropy, previous, first, self, induction")
        }
    }

    /// Mean weight a query gives the token right after an earlier copy of itself (the induction
    /// pattern), over queries whose token appeared before; 0 when none did.
    public static func inductionScore(_ matrix: AttentionMatrix, ids: [Int]) -> Double {
        var total = 0.0, rows = 0
        for q in 1..<max(1, min(matrix.count, ids.count)) {
            guard let earlier = ids[..<q].lastIndex(of: ids[q]), earlier + 1 < q else { continue }
            total += Double(matrix.value(query: q, key: earlier + 1))
            rows += 1
        }
        return rows == 0 ? 0 : total / Double(rows)
    }

    /// The head of the current layer scoring highest for induction or previous-token weight.
    func bestInLayer(_ kind: String, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        let data = try layerData(path)
        let scores = data.heads.indices.map { i in
            kind == "best_induction" ? Self.inductionScore(data.heads[i], ids: data.tokenIDs) : data.statistics[i].previousTokenWeight
        }
        guard let best = scores.indices.max(by: { scores[$0] < scores[$1] }) else { throw LiveValueError("\(path.text): no heads") }
        return field == "score" ? Self.probability(scores[best]) : Self.count(best)
    }

    /// The selected row of the current head: its n-th largest weight and the key token.
    func row(number n: Int, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        let data = try layerData(path)
        let matrix = state.attentionView.averageHeads ? data.average : data.heads[min(state.head, data.heads.count - 1)]
        let q = min(state.selected, matrix.count - 1)
        // As the view lists it: without the first key when it is hidden.
        var keys = Array(0...q)
        if state.attentionView.hideFirst && q > 0 { keys.removeFirst() }
        let ranked = keys.map { ($0, matrix.value(query: q, key: $0)) }.sorted { $0.1 > $1.1 }
        guard n >= 1, n <= ranked.count else { throw LiveValueError("\(path.text): the row has \(ranked.count) keys") }
        let (key, weight) = ranked[n - 1]
        switch field {
        case "text": return .text(TokenSpelling.visible(state.tokens[key].text))
        case "weight": return Self.probability(Double(weight))
        case "position": return Self.count(key)
        case "distance": return Self.count(q - key)
        default: throw LiveValueError("\(path.text): a row entry has text, weight, position, distance")
        }
    }

    /// `overview.previous.layer`: the head of the whole model with the largest mean weight on the
    /// previous (first, own) token; `overview.count_previous`: how many heads have that pattern.
    func overview(_ field: String, _ sub: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        guard let overview = state.attentionView.overview, overview.tokenIDs == state.tokens.map(\.id) else {
            throw LiveValueError("\(path.text): the model overview is not computed (press o in the attention view)")
        }
        let weight: (AttentionStatistics) -> Double
        switch field.replacingOccurrences(of: "count_", with: "") {
        case "previous": weight = \.previousTokenWeight
        case "first": weight = \.firstTokenWeight
        case "self": weight = \.selfWeight
        case "diffuse": weight = \.normalizedEntropy
        default: throw LiveValueError("\(path.text): overview has previous, first, self, diffuse (and count_…)")
        }
        if field.hasPrefix("count_") {
            let pattern = AttentionPattern.allCases.first { $0.rawValue == field.dropFirst(6) || (field == "count_previous" && $0 == .previousToken) || (field == "count_first" && $0 == .firstToken) || (field == "count_self" && $0 == .selfToken) }
            return Self.count(overview.heads.filter { $0.statistics.pattern == pattern }.count)
        }
        guard let best = overview.heads.max(by: { weight($0.statistics) < weight($1.statistics) }) else { throw LiveValueError("\(path.text): no heads") }
        switch sub {
        case "layer": return Self.count(best.layer)
        case "head": return Self.count(best.head)
        case "weight": return Self.probability(weight(best.statistics))
        default: throw LiveValueError("\(path.text): has layer, head, weight")
        }
    }

    // MARK: Embeddings

    func embeddings(_ stem: String, _ number: Int?, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        guard let report = state.embeddingsView.report, report.tokenIDs == state.tokens.map(\.id) else {
            throw LiveValueError("\(path.text): the embeddings are not computed (they are, in the embeddings view)")
        }
        switch stem {
        case "query": return .text(TokenSpelling.visible(report.queryLabel))
        case "hidden":
            switch field {
            case "norm": return Self.decimal(Double(report.hiddenNorm), 1)
            case "cos": return Self.decimal(Double(report.hiddenToStatic), 3)
            case "layer": return Self.count(report.layer - 1)
            default: throw LiveValueError("\(path.text): hidden has norm, cos, layer")
            }
        default:
            let list = stem == "neighbor" ? report.neighbours : stem == "static" ? report.staticNeighbours : report.contextualNeighbours
            let n = number ?? 1
            guard n >= 1, n <= list.count else { throw LiveValueError("\(path.text): \(list.count) neighbours listed") }
            switch field {
            case "", "text": return .text(TokenSpelling.visible(list[n - 1].text))
            case "sim": return Self.decimal(Double(list[n - 1].similarity), 3)
            default: throw LiveValueError("\(path.text): a neighbour has text, sim")
            }
        }
    }

    // MARK: Forward pass

    func forward(_ stem: String, _ rest: [String], _ path: LivePath) throws(LiveValueError) -> LiveValue {
        guard let d = state.forwardView.details, d.tokenIDs == state.tokens.map(\.id) else {
            throw LiveValueError("\(path.text): the forward pass is not computed (it is, in the forward view)")
        }
        switch stem {
        case "context": return Self.count(d.configuration.contextLength)
        case "embedding": return Self.decimal(Double(d.embeddingNorm), 2)
        case "block":
            let b = d.block
            let norms: [String: Float] = [
                "input": b.inputNorm, "normed": b.attentionNormedNorm, "q": b.queryNorm, "k": b.keyNorm, "v": b.valueNorm,
                "attention": b.attentionOutputNorm, "mid": b.midNorm, "gate": b.gateNorm, "up": b.upNorm, "swiglu": b.activatedNorm,
                "mlp": b.mlpOutputNorm, "output": b.outputNorm, "final": d.finalNormedNorm,
            ]
            let key = rest.first ?? ""
            if key == "number" { return Self.count(b.layer) }
            if key == "position" { return .number(Double(b.position), display: String(b.position)) }
            if key == "near_zero" { return .number(Double(b.nearZeroFraction), display: String(format: "%.0f %%", b.nearZeroFraction * 100)) }
            guard let norm = norms[key] else {
                throw LiveValueError("\(path.text): block has number, position, near_zero and the norms \(norms.keys.sorted().joined(separator: ", "))")
            }
            return Self.decimal(Double(norm), 2)
        case "kv":
            switch rest.first ?? "" {
            case "tokens": return Self.count(d.cachedTokens)
            case "bytes": return .number(Double(d.kvBytesPerLayer * d.configuration.blockCount), display: ForwardView.bytes(d.kvBytesPerLayer * d.configuration.blockCount))
            case "per_token": return .number(Double(state.kvBytesPerToken), display: ForwardView.bytes(state.kvBytesPerToken))
            case "per_layer": return .number(Double(d.kvBytesPerLayer), display: ForwardView.bytes(d.kvBytesPerLayer))
            case "full":
                let full = state.kvBytesPerToken * d.configuration.contextLength
                return .number(Double(full), display: ForwardView.bytes(full))
            default: throw LiveValueError("\(path.text): kv has tokens, bytes, per_token, per_layer, full")
            }
        default:
            let lens = d.lens
            guard let final = lens.last?.top.first else { throw LiveValueError("\(path.text): no logit lens") }
            let key = rest.first ?? ""
            if key == "settles" || key == "first_match" {
                // settles: the fewest blocks from which every deeper lens agrees with the output.
                var depth = lens.count - 1
                if key == "settles" {
                    while depth > 0, lens[depth - 1].top.first?.id == final.id { depth -= 1 }
                } else {
                    depth = lens.firstIndex { $0.top.first?.id == final.id } ?? depth
                }
                return Self.count(lens[depth].blocks - 1)
            }
            // Rows are named as the view names them: `embed`, then `block 0` … `block 29`.
            let blocks = key == "embed" ? 0 : (Int(key).map { $0 + 1 } ?? -1)
            guard let row = lens.first(where: { $0.blocks == blocks }), let top = row.top.first else {
                throw LiveValueError("\(path.text): lens.N.text/prob with N from 0 to \(lens.count - 1), lens.settles or lens.first_match")
            }
            switch rest.count > 1 ? rest[1] : "text" {
            case "text": return .text(TokenSpelling.visible(TokenText.text(top.id, state)))
            case "prob": return Self.probability(Double(top.probability))
            case "norm": return Self.decimal(Double(row.residualNorm), 1)
            default: throw LiveValueError("\(path.text): a lens row has text, prob, norm")
            }
        }
    }

    func timing(_ stem: String, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        if stem == "prefill" {
            guard let prefill = state.timings.first else { throw LiveValueError("\(path.text): no prefill timed") }
            switch field {
            case "", "ms": return Self.decimal(prefill.milliseconds, 1)
            case "tokens": return Self.count(prefill.tokenCount)
            case "per_token": return Self.decimal(prefill.milliseconds / Double(max(1, prefill.tokenCount)), 2)
            default: throw LiveValueError("\(path.text): prefill has ms, tokens, per_token")
            }
        }
        let decodes = state.timings.dropFirst().filter { $0.tokenCount == 1 }
        guard !decodes.isEmpty else { throw LiveValueError("\(path.text): no decode step timed yet (generate a token)") }
        let ms = decodes.map(\.milliseconds).reduce(0, +) / Double(decodes.count)
        switch field {
        case "", "ms": return Self.decimal(ms, 1)
        case "steps": return Self.count(decodes.count)
        default: throw LiveValueError("\(path.text): decode has ms, steps")
        }
    }

    // MARK: Tokens view

    func tokensView(_ stem: String, _ field: String, _ path: LivePath) throws(LiveValueError) -> LiveValue {
        guard let analysis = state.analysis, analysis.position == state.selected else { throw LiveValueError("\(path.text): the selected token is not analysed yet") }
        if stem == "replay" {
            guard let replay = analysis.replay else { throw LiveValueError("\(path.text): special tokens have no BPE replay") }
            switch field {
            case "word": return .text(replay.word)
            case "merges": return Self.count(replay.stepCount)
            case "bytes": return Self.count(replay.initial.count)
            case "tokens": return Self.count(replay.positions.count)
            case "step": return Self.count(state.tokensView.step(at: state.selected, of: replay.stepCount))
            default: throw LiveValueError("\(path.text): replay has word, merges, bytes, tokens, step")
            }
        }
        guard let comparison = analysis.comparisons.first else { throw LiveValueError("\(path.text): no comparison tokenizer loaded") }
        switch field {
        case "name": return .text(comparison.name)
        case "count": return Self.count(comparison.ids.count)
        case "list": return .text(comparison.pieces.joined(separator: " · "))
        default: throw LiveValueError("\(path.text): compare has name, count, list")
        }
    }
}

/// The last sampler result the live values computed, kept while the distribution and settings stay
/// the same: a narration quotes many of its figures and is filled in several times per frame, and
/// with the filters off one pass lists the whole vocabulary.
final class SamplingMemo: @unchecked Sendable {
    /// The one memo of the process.
    static let shared = SamplingMemo()

    private struct Key: Equatable {
        let logits: [Float]  // (vocabulary)
        let settings: SamplerSettings
        let position: Int
        let listing: Int
    }

    private let lock = NSLock()
    private var kept: (key: Key, result: SamplingResult)?  // guarded by `lock`

    /// `Sampler.sample` of these arguments, from the memo when they are the last ones asked.
    func result(logits: [Float], settings: SamplerSettings, position: Int, listing: Int) -> SamplingResult {
        let key = Key(logits: logits, settings: settings, position: position, listing: listing)
        lock.lock()
        if let kept, kept.key == key {
            lock.unlock()
            return kept.result
        }
        lock.unlock()
        let result = Sampler.sample(logits: logits, settings: settings, position: position, listing: listing)
        lock.lock()
        kept = (key, result)
        lock.unlock()
        return result
    }
}
