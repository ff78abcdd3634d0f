import Foundation
import TokenscopeTransformer

// MARK: - The other kind of model, for the attention view's comparison

/// The model of the other kind beside the one on screen (a decoder beside an encoder, or the
/// reverse), loaded on first use and kept: it reads the text with its own tokenizer, runs its own
/// real forward pass (in an engine of its own, so the explorer's sequence is never touched), and
/// answers with every head of the layer at the same relative depth. Called on the runtime's worker
/// queue only.
final class CrossModelRunner {
    /// The other model.
    let engine: any ExplorerEngine
    /// Whether it is an encoder.
    let isEncoder: Bool
    /// The text it last ran, and its tokens of it.
    private var text: String?
    private var tokens: [TokenInfo] = []

    init(engine: any ExplorerEngine, isEncoder: Bool) {
        self.engine = engine
        self.isEncoder = isEncoder
    }

    /// The model's name: its summary up to the first ` · ` (`SmolLM2-135M-Instruct`).
    var name: String {
        engine.summary.components(separatedBy: " · ").first ?? engine.summary
    }

    /// Runs `request.text` when it is not the text kept, then reads the matching layer.
    func answer(_ request: CrossModelRequest) -> CrossModelResult {
        do {
            if text != request.text {
                tokens = try engine.reset(prompt: request.text, chat: false)
                text = request.text
            }
        } catch {
            text = nil
            return .failed(request, "\(name) cannot read this text: \(error)")
        }
        let layer = CrossModelAttention.layer(matching: request.layer, of: request.layerCount, in: engine.layerCount)
        switch engine.inspect(.layer(layer, scores: false)) {
        case .layer(let attention):
            return .data(CrossModelData(request: request, name: name, isEncoder: isEncoder, layerCount: engine.layerCount,
                                        headCount: engine.headCount, tokens: tokens, attention: attention))
        case .failed(_, let message):
            return .failed(request, message)
        default:
            return .failed(request, "\(name) gave no attention for layer \(layer)")
        }
    }
}
