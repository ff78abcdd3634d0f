import Foundation

// MARK: - Sampling, stage by stage

/// Which stage of the sampler removed a candidate.
public enum SamplingFilter: String, Sendable, Equatable {
    /// Temperature 0: only the most likely token survives.
    case greedy
    /// Outside the `topK` most likely tokens.
    case topK = "top-k"
    /// Beyond the nucleus whose mass reaches `topP`.
    case topP = "top-p"
    /// Less likely than `minP` times the most likely token.
    case minP = "min-p"
}

/// One next-token candidate as every sampler stage saw it.
public struct SampledCandidate: Sendable, Equatable {
    /// Vocabulary id.
    public let id: Int
    /// 0 for the most likely token.
    public let rank: Int
    /// The raw logit from the model.
    public let logit: Float
    /// Softmax over the whole vocabulary of the logits divided by the temperature (temperature 1 when
    /// greedy), before any filter.
    public let probability: Double
    /// The probability after filtering and renormalising over the survivors; 0 when removed.
    public let keptProbability: Double
    /// Cumulative kept probability up to and including this candidate, in rank order; the dice strip.
    public let cumulative: Double
    /// The stage that removed this candidate, or nil when it survived.
    public let removedBy: SamplingFilter?
}

/// Everything the sampling view shows about one draw: the ranked candidates through each stage, the
/// uniform draw and the token it picked.
public struct SamplingResult: Sendable, Equatable {
    /// The settings used.
    public let settings: SamplerSettings
    /// The most likely candidates in rank order: every survivor, then removed ones up to the
    /// requested count.
    public let candidates: [SampledCandidate]
    /// How many tokens survived every filter.
    public let survivorCount: Int
    /// Vocabulary size.
    public let vocabularySize: Int
    /// Probability mass of the tokens not listed in `candidates`.
    public let unlistedMass: Double
    /// Entropy in bits of the (temperature-scaled) distribution over the whole vocabulary.
    public let entropyBits: Double
    /// The uniform draw u in [0, 1) that picked the token (unused when greedy).
    public let draw: Double
    /// The chosen token id.
    public let chosenID: Int
    /// The chosen token's rank.
    public let chosenRank: Int
    /// How many tokens top-k and then top-p leave (the vocabulary when a filter is off), counted
    /// over the whole ranking, not only the listed candidates.
    public var keptAfterTopK = 0
    public var keptAfterTopP = 0
    /// Probability mass of the tokens top-k keeps (1 when top-k is off): top-p's cumulative is
    /// renormalised by it.
    public var massAfterTopK = 1.0

    /// 2^entropy: the effective number of choices.
    public var perplexity: Double { pow(2, entropyBits) }
    /// The chosen candidate.
    public var chosen: SampledCandidate? { candidates.first { $0.id == chosenID } }
}

/// Turns logits into a token through temperature, softmax, top-k, top-p, min-p, renormalisation and
/// a seeded uniform draw, keeping every stage for display.
public enum Sampler {
    /// Samples the token at sequence `position` from `logits` (one per vocabulary entry).
    ///
    /// `listing` bounds how many candidates are returned (all survivors are always returned).
    /// An empty `logits` array gives a result with no candidates and `chosenID == -1`.
    public static func sample(
        logits: [Float], settings: SamplerSettings, position: Int, listing: Int = 64
    ) -> SamplingResult {
        let vocabulary = logits.count
        let greedy = settings.isGreedy
        let temperature = greedy ? 1.0 : Double(settings.temperature)
        guard vocabulary > 0 else {
            return SamplingResult(
                settings: settings, candidates: [], survivorCount: 0, vocabularySize: 0, unlistedMass: 0,
                entropyBits: 0, draw: 0, chosenID: -1, chosenRank: -1)
        }

        // MARK: Temperature and softmax over the whole vocabulary
        let (probabilities, argmax) = Softmax.probabilities(logits, temperature: temperature)  // (vocabulary)
        let entropy = entropyBits(probabilities, logits: logits, argmax: argmax, temperature: temperature)
        let order = rankedOrder(probabilities, logits: logits, settings: settings, listing: listing)  // ids, most likely first

        // MARK: Filters, in order: greedy or top-k, top-p, min-p
        var survivors = vocabulary
        if greedy {
            survivors = 1
        } else if settings.topK > 0 {
            survivors = min(survivors, settings.topK)
        }
        let afterTopK = survivors
        if !greedy && settings.topP < 1 {
            // Mass of the top-k survivors (the whole vocabulary when top-k is off).
            var kept = 1.0
            if afterTopK < vocabulary {
                kept = 0
                for rank in 0..<min(afterTopK, order.count) { kept += probabilities[order[rank]] }
            }
            var cumulative = 0.0
            var count = 0
            for rank in 0..<min(afterTopK, order.count) {
                cumulative += probabilities[order[rank]] / kept
                count = rank + 1
                if cumulative >= Double(settings.topP) { break }
            }
            survivors = max(1, count)
        }
        let afterTopP = survivors
        if !greedy && settings.minP > 0 {
            let threshold = Double(settings.minP) * probabilities[order[0]]
            var count = 0
            while count < min(afterTopP, order.count) && probabilities[order[count]] >= threshold { count += 1 }
            survivors = max(1, count)
        }
        survivors = min(survivors, order.count)

        // MARK: Renormalise, cumulative strip, draw
        var keptTotal = 0.0
        for rank in 0..<survivors { keptTotal += probabilities[order[rank]] }
        let draw = greedy ? 0 : SeededGenerator(seed: settings.seed).uniform(at: position)
        var chosenRank = survivors - 1
        var cumulative = 0.0
        var candidates: [SampledCandidate] = []
        let listed = min(order.count, max(listing, survivors))
        candidates.reserveCapacity(listed)
        var listedMass = 0.0
        var picked = false
        for rank in 0..<listed {
            let id = order[rank]
            let p = probabilities[id]
            listedMass += p
            let removal: SamplingFilter?
            if rank < survivors {
                removal = nil
            } else if greedy {
                removal = .greedy
            } else if rank >= afterTopK {
                removal = .topK
            } else if rank >= afterTopP {
                removal = .topP
            } else {
                removal = .minP
            }
            let kept = removal == nil ? p / keptTotal : 0
            cumulative += kept
            if removal == nil && !picked && (greedy || draw < cumulative) {
                chosenRank = rank
                picked = true
            }
            candidates.append(SampledCandidate(
                id: id, rank: rank, logit: logits[id], probability: p, keptProbability: kept,
                cumulative: removal == nil ? cumulative : min(cumulative, 1), removedBy: removal))
        }
        return SamplingResult(
            settings: settings, candidates: candidates, survivorCount: survivors, vocabularySize: vocabulary,
            unlistedMass: max(0, 1 - listedMass), entropyBits: entropy, draw: draw,
            chosenID: order[chosenRank], chosenRank: chosenRank, keptAfterTopK: afterTopK, keptAfterTopP: afterTopP,
            massAfterTopK: afterTopK < vocabulary ? order.prefix(afterTopK).reduce(0) { $0 + probabilities[$1] } : 1)
    }

    /// The entropy in bits of `probabilities`, the softmax of `logits / temperature` whose largest
    /// entry is at `argmax`. With pᵢ = eᵢ/Z and e_argmax = 1, −Σ pᵢ ln pᵢ = ln Z − Σ pᵢ (vᵢ − v_max)
    /// and ln Z = −ln p_argmax: one logarithm rather than one per token (a 262 144-token vocabulary
    /// spent ~5 ms per decoded token on them).
    static func entropyBits(_ probabilities: [Double], logits: [Float], argmax: Int, temperature: Double) -> Double {
        guard probabilities.indices.contains(argmax), probabilities[argmax] > 0 else { return 0 }
        let maxScaled = Double(logits[argmax]) / temperature
        var expectedGap = 0.0  // Σ pᵢ (vᵢ − v_max) ≤ 0
        for id in probabilities.indices where id != argmax && probabilities[id] > 0 {
            expectedGap += probabilities[id] * (Double(logits[id]) / temperature - maxScaled)
        }
        return max(0, -log(probabilities[argmax]) - expectedGap) / log(2.0)
    }

    /// The most likely ids, best first (ties by lower id): enough of them for every filter and the
    /// listing. Sorts only the tokens above a probability floor, lowering it until the kept mass and
    /// count suffice, so a peaked distribution never sorts the whole vocabulary.
    static func rankedOrder(_ probabilities: [Double], logits: [Float], settings: SamplerSettings, listing: Int) -> [Int] {
        let vocabulary = probabilities.count
        let neededCount = max(listing, settings.isGreedy ? 1 : (settings.topK > 0 ? settings.topK : 1))
        let neededMass = settings.isGreedy || settings.topP >= 1 ? (settings.topK > 0 || settings.isGreedy ? 0 : 1.0) : Double(settings.topP)
        func better(_ a: Int, _ b: Int) -> Bool {
            probabilities[a] != probabilities[b] ? probabilities[a] > probabilities[b] : (logits[a] != logits[b] ? logits[a] > logits[b] : a < b)
        }
        var floor = 1e-4
        while true {
            var ids: [Int] = []
            var mass = 0.0
            for id in 0..<vocabulary where probabilities[id] >= floor {
                ids.append(id)
                mass += probabilities[id]
            }
            let coversMinP = settings.isGreedy || settings.minP <= 0 || floor <= Double(settings.minP) * (probabilities.max() ?? 0)
            if floor == 0 || (ids.count >= min(neededCount, vocabulary) && mass >= neededMass - 1e-12 && neededMass < 1 && coversMinP) {
                ids.sort(by: better)
                return ids
            }
            floor = floor < 1e-12 ? 0 : floor * 1e-3
        }
    }
}
