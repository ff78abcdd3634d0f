import Foundation
import TokenscopeTransformer

// MARK: - What the explain panel says about an encoder's head beside a decoder's

extension Explainer {
    /// The comparison of the attention view (`d`): which head of which model is on each side and
    /// why, what the mask does to each, with the measured share of attention on later tokens, and
    /// how the two tokenizers cut the text.
    static func crossModel(_ state: AppState, _ data: LayerAttention) -> [String] {
        let cross = state.attentionView.crossModel
        guard let other = cross.data, other.request == Reducer.wantedCrossModel(state) else {
            return [cross.message ?? "The other model is reading the same text; its head follows."]
        }
        let ownHead = min(state.head, data.heads.count - 1)
        let own = data.heads[ownHead]
        let otherHead = CrossModelAttention.head(matching: state.head, in: other.attention.heads.count)
        let theirs = other.attention.heads[otherHead]
        let ownName = CrossModelView.name(state.modelSummary)
        let (encoder, decoder) = state.isEncoder ? (own, theirs) : (theirs, own)
        let (encoderName, decoderName) = state.isEncoder ? (ownName, other.name) : (other.name, ownName)
        let (encoderTokens, decoderTokens) = state.isEncoder ? (state.tokens, other.tokens) : (other.tokens, state.tokens)
        var out: [String] = []
        out.append(String(format: "%@ (an encoder) lets every token attend to every token, before and after it: in layer %d, head %d, rows give on average %.0f%% of their attention to later tokens.",
                          encoderName, encoder.layer, encoder.head, CrossModelAttention.laterShare(encoder) * 100))
        out.append(String(format: "%@ (a decoder) hides later tokens behind its causal mask, so layer %d, head %d gives them %.0f%%: the upper triangle is empty (·), because it is trained to predict the next token without seeing it.",
                          decoderName, decoder.layer, decoder.head, CrossModelAttention.laterShare(decoder) * 100))
        var depth = "Layer \(state.layer) of \(state.layerCount) sits at the same relative depth as layer \(other.attention.layer) of \(other.layerCount)"
        depth += otherHead == state.head ? "; the head index is the same." : "; the other model has \(other.headCount) heads, so head \(state.head) maps to the nearest, \(otherHead)."
        out.append(depth)
        out.append("Each model cuts the text with its own tokenizer: \(encoderTokens.count) word pieces for the encoder (with [CLS] and [SEP]) and \(Plural.count(decoderTokens.count, "token")) for the decoder, so the rows do not line up one to one.")
        let q = min(state.selected, own.count - 1)
        let split = CrossModelAttention.split(own, query: q)
        let otherQ = CrossModelAttention.position(matching: state.selected, in: state.tokens, other: other.tokens)
        let otherSplit = CrossModelAttention.split(theirs, query: otherQ)
        out.append(String(format: "The selected token %@ gives %.0f%% of its attention to tokens after it here; %@ on the other side gives %.0f%%.",
                          "\"\(state.tokens[q].label)\"", split.after * 100, "\"\(other.tokens[otherQ].label)\"", otherSplit.after * 100))
        return out
    }
}
