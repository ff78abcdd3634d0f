import Foundation
import TokenscopeTransformer
import TokenscopeUI

// MARK: - View data from the real model

extension ExplorerEngine {
    /// Engines without inspection answer every request with a failure the views show.
    public func inspect(_ request: InspectRequest) -> InspectResult {
        .failed(request, "this engine cannot inspect the model")
    }
}

extension LiveExplorerEngine {
    /// Side of the overview thumbnails.
    static let thumbnailSize = 16
    /// Neighbours listed.
    static let neighbourCount = 12

    public func inspect(_ request: InspectRequest) -> InspectResult {
        do {
            switch request {
            case .layer(let layer, let scores): return .layer(try layerAttention(layer, scores: scores))
            case .overview: return .overview(try overview())
            case .embeddings(let query, let position, let layer):
                return .embeddings(try embeddings(request, query: query, position: position, layer: layer))
            case .forward(let position, let layer): return .forward(try forward(request, position: position, layer: layer))
            case .ablation(let position, let ablations): return .ablation(try ablationDiff(position: position, ablations: ablations))
            case .secondPrompt(let second): return .secondPrompt(try secondPrompt(second))
            case .attribution, .occlusion, .patching: return inspect(request, progress: { _ in }, shouldCancel: { false })
            case .guess(let text, let position): return .guess(try guessReport(text, position: position))
            }
        } catch {
            return .failed(request, "error: \(error)")
        }
    }

    // MARK: Attention

    /// Every head of the layer (recomputed in tiles when not stored) as f16 matrices, with
    /// statistics from the same pass over the rows.
    func layerAttention(_ layer: Int, scores: Bool) throws -> LayerAttention {
        let showsScores = scores && session.trace.hasScores
        let data = try session.layerAttention(layer: layer, probabilities: !showsScores, scores: showsScores, tokenIDs: session.tokens)
        return LayerAttention(tokenIDs: session.tokens, layer: layer, isScores: showsScores,
                              heads: showsScores ? data.scores : data.probabilities, statistics: data.statistics)
    }

    /// Every layer × head summarised from the rows as they are made; no matrix is held.
    func overview() throws -> AttentionOverview {
        var heads: [HeadSummary] = []
        let tokens = session.tokens
        for layer in 0..<layerCount {
            heads += try session.headSummaries(layer: layer, thumbnailSize: Self.thumbnailSize, tokenIDs: tokens).map {
                HeadSummary(layer: layer, head: $0.head, statistics: $0.statistics, thumbnail: $0.thumbnail, thumbnailSize: $0.thumbnailSize)
            }
        }
        return AttentionOverview(tokenIDs: session.tokens, layerCount: layerCount, headCount: headCount, heads: heads)
    }

    // MARK: Embeddings

    func ranked(_ neighbours: [Neighbor]) -> [RankedToken] {
        neighbours.map { RankedToken(id: $0.id, text: model.tokenizer.decode([$0.id]), similarity: $0.similarity, label: displayPiece($0.id)) }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in 0..<min(a.count, b.count) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        return na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : 0
    }

    func embeddings(_ request: InspectRequest, query: String, position: Int, layer: Int) throws -> EmbeddingsReport {
        let space = embeddingSpace ?? EmbeddingSpace(model: model)
        embeddingSpace = space
        guard position >= 0, position < session.count else {
            throw ModelError.invalidRequest("position \(position) is outside the sequence 0..<\(session.count)")
        }
        let selectedID = session.tokens[position]
        // Control tokens (untrained rows that all look alike) would crowd every list.
        let controls = Set((0..<model.configuration.vocabularySize).filter { model.tokenizer.kind(of: $0) == .control })
        let staticVector = space.vector(of: selectedID)
        let staticNeighbours = ranked(space.nearest(to: staticVector, k: Self.neighbourCount, excluding: controls.union([selectedID])))
        let hidden = session.trace.residual(position: position, afterBlocks: layer) ?? []
        let hiddenNorm = hidden.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let contextual = ranked(space.nearest(to: hidden, k: Self.neighbourCount, excluding: controls))

        var label = model.tokenizer.decode([selectedID])
        var queryIDs = [selectedID]
        var terms: [(word: String, sign: Float)] = []
        var neighbours = staticNeighbours
        var vectors: [[Float]] = [staticVector]
        var kinds: [(String, ScatterPoint.Kind)] = [(label, .query)]
        var message: String?
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            do {
                let parsed = try EmbeddingSpace.parseExpression(query).map { term in
                    // Words in running text carry their leading space (" king"): use that token when it exists.
                    (word: space.spaced(term.word), sign: term.sign)
                }
                if parsed.count > 1 || parsed.first?.sign == -1 {
                    let (words, candidates) = try space.analogy(parsed, k: Self.neighbourCount + controls.count)
                    let results = Array(candidates.filter { !controls.contains($0.id) }.prefix(Self.neighbourCount))
                    terms = parsed
                    label = trimmed
                    queryIDs = words.flatMap(\.ids)
                    neighbours = ranked(results)
                    var sum = [Float](repeating: 0, count: model.configuration.width)
                    for (word, term) in zip(words, parsed) {
                        vectors.append(word.vector)
                        kinds.append((word.text, .term))
                        for i in sum.indices { sum[i] += term.sign * word.vector[i] }
                    }
                    vectors[0] = sum
                    kinds[0] = ("= sum", .query)
                } else {
                    // A word typed with a leading space is a different token: keep the text as typed
                    // but strip the surrounding whitespace the input box adds.
                    let word = try space.word(query.hasPrefix(" ") ? " " + trimmed : space.spaced(trimmed))
                    label = word.text
                    queryIDs = word.ids
                    neighbours = ranked(space.nearest(to: word.vector, k: Self.neighbourCount, excluding: word.ids.count == 1 ? controls.union(word.ids) : controls))
                    vectors[0] = word.vector
                    kinds[0] = (trimmed, .query)
                }
            } catch {
                message = "\(error)"
            }
        }
        for neighbour in neighbours.prefix(8) {
            vectors.append(space.vector(of: neighbour.id))
            kinds.append((neighbour.text, terms.isEmpty ? .neighbour : .result))
        }
        if hidden.count == model.configuration.width, hiddenNorm > 0 {
            // Scale the hidden state to the embedding rows' typical norm so PCA is not dominated by it.
            let scale = (staticVector.reduce(0) { $0 + $1 * $1 }.squareRoot()) / hiddenNorm
            vectors.append(hidden.map { $0 * scale })
            kinds.append(("ctx@\(layer - 1)", .contextual))  // after block layer − 1 (blocks count from 0)
        }
        let coordinates = Projection.principalComponents2D(vectors)
        let points = zip(kinds, coordinates).map { ScatterPoint(label: $0.0, kind: $0.1, x: $1.x, y: $1.y) }
        return EmbeddingsReport(
            request: request, tokenIDs: session.tokens, queryLabel: label, queryIDs: queryIDs, terms: terms, neighbours: neighbours,
            selectedID: selectedID, staticNeighbours: staticNeighbours, layer: layer, hiddenNorm: hiddenNorm,
            hiddenToStatic: Self.cosine(hidden, staticVector), contextualNeighbours: contextual, points: points, message: message)
    }

    // MARK: Forward pass

    func forward(_ request: InspectRequest, position: Int, layer: Int) throws -> ForwardDetails {
        let c = model.configuration
        guard position >= 0, position < session.count else {
            throw ModelError.invalidRequest("position \(position) is outside the sequence 0..<\(session.count)")
        }
        let trace = session.trace
        let embedding = trace.residual(position: position, afterBlocks: 0) ?? []
        let norm: ([Float]) -> Float = { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let finalNormed = try session.finalNormed(position: position)
        let lens = try cachedLens(position: position)
        var lensTexts: [Int: String] = [:]
        for depth in lens { for candidate in depth.top { lensTexts[candidate.id] = candidateText(candidate.id) } }
        return ForwardDetails(
            request: request, tokenIDs: session.tokens, configuration: c, tokenID: session.tokens[position],
            embeddingNorm: norm(embedding), embeddingHead: Array(embedding.prefix(6)),
            attentionNorms: (0..<c.blockCount).map { trace.attentionOutputNorm(position: position, layer: $0) ?? 0 },
            mlpNorms: (0..<c.blockCount).map { trace.mlpOutputNorm(position: position, layer: $0) ?? 0 },
            residualNorms: (0...c.blockCount).map { norm(trace.residual(position: position, afterBlocks: $0) ?? []) },
            block: try session.inspectBlock(layer: min(max(0, layer), c.blockCount - 1), position: position),
            finalNormedNorm: norm(finalNormed), cachedTokens: session.count, kvBytesPerLayer: session.kvCacheBytesPerLayer,
            lens: lens, lensTexts: lensTexts)
    }

    /// The logit lens at `position`, reused while the tokens up to it are unchanged.
    func cachedLens(position: Int) throws -> [LensLayer] {
        let prefix = Array(session.tokens.prefix(position + 1))
        if let cached = lensCache, cached.prefix == prefix { return cached.lens }
        let lens = try session.logitLens(position: position, top: 3)
        lensCache = (prefix, lens)
        return lens
    }
}

extension EmbeddingSpace {
    /// `word` with a leading space when that spelling is one vocabulary token (as words are inside
    /// running text: " king", not "king"); otherwise `word` unchanged.
    func spaced(_ word: String) -> String { runningTextSpelling(word) }
}
