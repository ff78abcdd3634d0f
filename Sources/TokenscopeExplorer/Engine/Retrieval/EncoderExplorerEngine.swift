import Foundation
import TokenscopeFormats
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - An encoder in the explorer

/// The explorer engine over a sentence encoder (all-MiniLM-L6-v2): the text is tokenized and run
/// through every block once, each token attending to every token. There is no next-token output,
/// so what needs one (sampling, generation, the logit lens) answers with a message saying so; the
/// similarity and search views use the encoder's sentence embeddings.
public final class EncoderExplorerEngine: ExplorerEngine, RetrievalEngine, @unchecked Sendable {
    /// The encoder.
    public let encoder: SentenceEncoder
    /// The documents and index of the search view.
    public let workspace: RetrievalWorkspace
    /// The text on screen through the encoder.
    var trace: EncoderTrace?
    /// The text on screen, as typed (the comparison tokenizers read it).
    var text = ""
    /// Other tokenizers the tokens view runs the same text through (the decoder's, `--compare`).
    public var comparisonTokenizers: [ComparisonTokenizer] = [] { didSet { comparisons = nil } }
    /// The comparison tokenizers' results for `text`, once per text rather than once per selection.
    var comparisons: [TokenizerComparison]?

    /// Wraps a loaded encoder.
    public init(encoder: SentenceEncoder, cache: IndexCache = IndexCache()) {
        self.encoder = encoder
        workspace = RetrievalWorkspace(encoder: encoder, cache: cache)
    }

    /// Why an encoder has no next token, for the messages of the views that need one.
    public static let noNextToken = "an encoder reads the whole text at once and predicts no next token"

    public var isEncoder: Bool { true }
    public var summary: String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: encoder.path + "/" + HFModelFolder.weightsName))?[.size] as? Int ?? 0
        return "\(encoder.name) · \(encoder.architecture.name) encoder · F32 · \(bytes / 1_000_000) MB"
    }
    public var tokenizerSummary: String { encoder.tokenizer.kindDescription }
    public var layerCount: Int { encoder.configuration.blockCount }
    public var headCount: Int { encoder.configuration.headCount }
    public var kvHeadCount: Int { encoder.configuration.headCount }
    public var kvBytesPerToken: Int { 0 }
    public var contextLength: Int { encoder.maxTokens }
    /// The folder, so the model picker marks it as the one loaded.
    public var modelPath: String? { encoder.path }
    public var timings: [StepTiming] { [] }

    func info(_ id: Int) -> TokenInfo {
        let t = encoder.tokenizer
        var info = TokenInfo(id: id, text: t.decode([id]), piece: t.tokenString(id), kind: t.kind(of: id),
                             mergeRank: nil, generated: false, probability: nil)
        info.bytes = t.tokenBytes(id)
        return info
    }

    public func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool, progress: (Double) -> Void) throws -> [TokenInfo] {
        guard !chat else {
            throw ModelError.invalidRequest("an encoder has no chat template: it embeds text, it does not hold a conversation")
        }
        let pieces = encoder.tokenizer.encode(bytes: Array(prompt.utf8), parseSpecial: true, addSpecialTokens: false)
        let room = encoder.maxTokens - 2
        guard pieces.count <= room else {
            throw ModelError.invalidRequest("the text is \(pieces.count) word pieces; \(encoder.name) reads at most \(room) (\(encoder.maxTokens) with [CLS] and [SEP])")
        }
        let fresh = try encoder.trace(tokens: encoder.tokens(prompt))
        progress(1)
        trace = fresh
        text = prompt
        comparisons = nil
        return fresh.tokens.map(info)
    }

    public func append(_ id: Int) throws -> TokenInfo {
        throw ModelError.invalidRequest(Self.noNextToken + ": there is nothing to generate")
    }

    public func rewind(to count: Int) throws {
        throw ModelError.invalidRequest(Self.noNextToken + ": there is nothing to undo")
    }

    public func analyse(position: Int) throws -> PositionAnalysis {
        guard let trace, position >= 0, position < trace.tokens.count else {
            throw ModelError.invalidRequest("position \(position) is outside the text")
        }
        // No logits: the views that need a next-token distribution say so.
        var analysis = PositionAnalysis(position: position, logits: [], merges: [], texts: [:])
        analysis.isWordPiece = true
        analysis.wordPieces = WordPieceReplay(tokenizer: encoder.tokenizer, ids: trace.tokens, position: position)
        if comparisons == nil { comparisons = comparisonTokenizers.map { $0.compare(text) } }
        analysis.comparisons = comparisons ?? []
        return analysis
    }

    public func text(of id: Int) -> String { encoder.tokenizer.decode([id]) }
    public func piece(of id: Int) -> String { encoder.tokenizer.tokenString(id) }
    public func isEnd(_ id: Int) -> Bool { false }

    public func inspect(_ request: InspectRequest) -> InspectResult {
        guard let trace else { return .failed(request, "no text has been run yet") }
        switch request {
        case .layer(let layer, _):
            guard layer >= 0, layer < layerCount else { return .failed(request, "layer \(layer) is out of range 0...\(layerCount - 1)") }
            let heads = (0..<headCount).map { trace.matrix(layer: layer, head: $0) }
            return .layer(LayerAttention(tokenIDs: trace.tokens, layer: layer, isScores: false, heads: heads,
                                         statistics: heads.map { $0.statistics(tokenIDs: trace.tokens) }))
        case .overview:
            var heads: [HeadSummary] = []
            for layer in 0..<layerCount {
                for head in 0..<headCount {
                    let matrix = trace.matrix(layer: layer, head: head)
                    heads.append(HeadSummary(layer: layer, head: head, statistics: matrix.statistics(tokenIDs: trace.tokens),
                                             thumbnail: matrix.pooled(size: LiveExplorerEngine.thumbnailSize),
                                             thumbnailSize: max(1, AttentionMatrix.thumbnailCells(count: matrix.count, size: LiveExplorerEngine.thumbnailSize))))
                }
            }
            return .overview(AttentionOverview(tokenIDs: trace.tokens, layerCount: layerCount, headCount: headCount, heads: heads))
        case .embeddings:
            return .failed(request, "the embeddings view explores a decoder's token embeddings; for an encoder, the similarity view (2) compares sentence embeddings")
        case .forward:
            return .failed(request, Self.noNextToken + ", so there is no logit lens: the forward view needs a decoder")
        case .ablation:
            return .failed(request, Self.noNextToken + ": ablation diffs compare next-token distributions, which it has none of")
        case .attribution, .occlusion, .patching:
            return .failed(request, Self.noNextToken + ": the Why view explains a next-token prediction, which it makes none of")
        case .secondPrompt:
            return .failed(request, Self.noNextToken + ": side by side compares next-token distributions, which it has none of")
        case .guess:
            return .failed(request, Self.noNextToken + ", so there is nothing to guess against")
        }
    }

    public func retrieve(_ request: RetrievalRequest, progress: (String) -> Void) -> RetrievalResult {
        workspace.retrieve(request, progress: progress)
    }
}
