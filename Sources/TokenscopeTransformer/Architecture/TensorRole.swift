// MARK: - Tensor roles

/// What a tensor is for in the forward pass, independent of how a file names it.
///
/// Each architecture maps the roles its recipe needs to names: GGUF files share llama.cpp's names
/// (``ggufName(layer:)``), HF folders use the family's own (see each architecture's file).
public enum TensorRole: String, Sendable, CaseIterable {
    // Model-level tensors.
    case tokenEmbedding, positionEmbedding, outputNorm, outputNormBias, output
    // Encoder-only model-level tensors (BERT): token-type embedding and the embedding LayerNorm.
    case tokenTypeEmbedding, embeddingNorm, embeddingNormBias
    // Block tensors.
    case attentionNorm, attentionNormBias
    case query, queryBias, key, keyBias, value, valueBias, fusedQKV, fusedQKVBias
    case queryNorm, keyNorm
    case attentionOutput, attentionOutputBias, postAttentionNorm
    case mlpNorm, mlpNormBias, gate, up, upBias, down, downBias, postMLPNorm

    /// Whether the role belongs to a block (its name carries the layer number).
    public var isPerBlock: Bool {
        switch self {
        case .tokenEmbedding, .positionEmbedding, .outputNorm, .outputNormBias, .output: false
        case .tokenTypeEmbedding, .embeddingNorm, .embeddingNormBias: false
        default: true
        }
    }

    /// The tensor's name in a GGUF file written by llama.cpp's converters.
    public func ggufName(layer: Int) -> String {
        let suffix: String
        switch self {
        case .tokenEmbedding: return "token_embd.weight"
        case .positionEmbedding: return "position_embd.weight"
        case .outputNorm: return "output_norm.weight"
        case .outputNormBias: return "output_norm.bias"
        case .output: return "output.weight"
        case .tokenTypeEmbedding: return "token_types.weight"
        case .embeddingNorm: return "token_embd_norm.weight"
        case .embeddingNormBias: return "token_embd_norm.bias"
        case .attentionNorm: suffix = "attn_norm.weight"
        case .attentionNormBias: suffix = "attn_norm.bias"
        case .query: suffix = "attn_q.weight"
        case .queryBias: suffix = "attn_q.bias"
        case .key: suffix = "attn_k.weight"
        case .keyBias: suffix = "attn_k.bias"
        case .value: suffix = "attn_v.weight"
        case .valueBias: suffix = "attn_v.bias"
        case .fusedQKV: suffix = "attn_qkv.weight"
        case .fusedQKVBias: suffix = "attn_qkv.bias"
        case .queryNorm: suffix = "attn_q_norm.weight"
        case .keyNorm: suffix = "attn_k_norm.weight"
        case .attentionOutput: suffix = "attn_output.weight"
        case .attentionOutputBias: suffix = "attn_output.bias"
        case .postAttentionNorm: suffix = "post_attention_norm.weight"
        case .mlpNorm: suffix = "ffn_norm.weight"
        case .mlpNormBias: suffix = "ffn_norm.bias"
        case .gate: suffix = "ffn_gate.weight"
        case .up: suffix = "ffn_up.weight"
        case .upBias: suffix = "ffn_up.bias"
        case .down: suffix = "ffn_down.weight"
        case .downBias: suffix = "ffn_down.bias"
        case .postMLPNorm: suffix = "post_ffw_norm.weight"
        }
        return "blk.\(layer).\(suffix)"
    }
}
