import Foundation

// MARK: - HF config.json

/// The hyper-parameters of an HF `config.json`, as `inspect` shows them, for Llama-style and
/// GPT-2-style decoders and BERT-style encoders. (The transformer reads the configuration it runs
/// with through its architecture registry.)
///
/// Decoded with explicit coding keys (HF's snake_case names; GPT-2's own names — `n_embd`,
/// `n_layer`, … — where it has them) and then validated: sizes positive and below absurd limits,
/// heads dividing the width, KV heads dividing the heads. Keys Tokenscope does not use are ignored.
public struct HFConfig: Codable, Sendable, Equatable {
    /// The model families Tokenscope knows.
    public enum Family: String, Sendable {
        /// Decoder-only, RMS norm, rotary positions, gated MLP (`model_type` llama, mistral, qwen2,
        /// qwen3, gemma3_text).
        case llama
        /// Decoder-only, layer norm, learned positions (`model_type` gpt2).
        case gpt2
        /// Encoder, layer norm, learned positions (`model_type` bert).
        case bert
    }

    /// `model_type` (`llama`, `bert`).
    public var modelType: String
    /// `architectures` (`["LlamaForCausalLM"]`, `["BertModel"]`).
    public var architectures: [String]?
    /// Width of the residual stream.
    public var hiddenSize: Int
    /// Number of transformer blocks.
    public var numHiddenLayers: Int
    /// Query heads per block.
    public var numAttentionHeads: Int
    /// Key/value heads per block (grouped-query attention); absent means one per query head.
    public var numKeyValueHeads: Int?
    /// Width of the MLP's hidden layer.
    public var intermediateSize: Int
    /// Longest sequence the positions cover.
    public var maxPositionEmbeddings: Int
    /// Vocabulary size.
    public var vocabSize: Int
    /// Rotary base (Llama); absent for BERT.
    public var ropeTheta: Double?
    /// RMS-norm epsilon (Llama).
    public var rmsNormEps: Double?
    /// Layer-norm epsilon (BERT).
    public var layerNormEps: Double?
    /// Activation name (`silu`, `gelu`).
    public var hiddenAct: String?
    /// Whether the output projection reuses the token embedding.
    public var tieWordEmbeddings: Bool?
    /// Size of one head when it is not `hiddenSize / numAttentionHeads`.
    public var headDim: Int?
    /// Number of segment types (BERT `token_type_embeddings`).
    public var typeVocabSize: Int?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case architectures
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case intermediateSize = "intermediate_size"
        case maxPositionEmbeddings = "max_position_embeddings"
        case vocabSize = "vocab_size"
        case ropeTheta = "rope_theta"
        case rmsNormEps = "rms_norm_eps"
        case layerNormEps = "layer_norm_eps"
        case hiddenAct = "hidden_act"
        case tieWordEmbeddings = "tie_word_embeddings"
        case headDim = "head_dim"
        case typeVocabSize = "type_vocab_size"
    }

    /// GPT-2's names for the same hyper-parameters.
    enum GPT2Keys: String, CodingKey {
        case nEmbd = "n_embd", nLayer = "n_layer", nHead = "n_head", nInner = "n_inner", nPositions = "n_positions"
        case layerNormEpsilon = "layer_norm_epsilon", activationFunction = "activation_function"
    }

    /// Decodes HF's usual names, or GPT-2's where those are absent (`n_inner` null means 4 × width).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let g = try decoder.container(keyedBy: GPT2Keys.self)
        func either(_ key: CodingKeys, _ other: GPT2Keys) throws -> Int {
            if let value = try c.decodeIfPresent(Int.self, forKey: key) { return value }
            guard g.contains(other) else { return try c.decode(Int.self, forKey: key) }  // names the usual key as missing
            return try g.decode(Int.self, forKey: other)
        }
        modelType = try c.decode(String.self, forKey: .modelType)
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        hiddenSize = try either(.hiddenSize, .nEmbd)
        numHiddenLayers = try either(.numHiddenLayers, .nLayer)
        numAttentionHeads = try either(.numAttentionHeads, .nHead)
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads)
        if let stated = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? g.decodeIfPresent(Int.self, forKey: .nInner) {
            intermediateSize = stated
        } else if g.contains(.nEmbd) {
            intermediateSize = 4 * hiddenSize
        } else {
            intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        }
        maxPositionEmbeddings = try either(.maxPositionEmbeddings, .nPositions)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta)
        rmsNormEps = try c.decodeIfPresent(Double.self, forKey: .rmsNormEps)
        layerNormEps = try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? g.decodeIfPresent(Double.self, forKey: .layerNormEpsilon)
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? g.decodeIfPresent(String.self, forKey: .activationFunction)
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings)
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize)
    }

    /// Largest config.json read (a real one is a few kilobytes).
    public static let maximumFileBytes = 1 << 20

    /// Reads, decodes and validates the config.json at `path`.
    public init(path: String) throws(ModelFileError) {
        let mapping = try MappedFile(path: path)
        guard mapping.bytes.count <= Self.maximumFileBytes else {
            throw ModelFileError(file: path, reason: "\(mapping.bytes.count) bytes is too large for a config.json")
        }
        try self.init(json: Data(mapping.bytes), file: path)
    }

    /// Decodes and validates config JSON; `file` names it in errors.
    public init(json: Data, file: String) throws(ModelFileError) {
        do {
            self = try JSONDecoder().decode(HFConfig.self, from: json)
        } catch let error as DecodingError {
            throw Self.describe(error, file: file)
        } catch {
            throw ModelFileError(file: file, reason: "invalid config JSON: \(error.localizedDescription)")
        }
        try validate(file: file)
    }

    /// The model family, from `model_type`.
    public var family: Family? {
        switch modelType {
        case "llama", "mistral", "qwen2", "qwen3", "gemma3_text": .llama
        case "gpt2": .gpt2
        case "bert": .bert
        default: nil
        }
    }

    /// Key/value heads (`num_key_value_heads`, or the query head count when absent).
    public var keyValueHeadCount: Int { numKeyValueHeads ?? numAttentionHeads }

    /// Size of one attention head.
    public var headSize: Int { headDim ?? hiddenSize / max(numAttentionHeads, 1) }

    /// Checks that the hyper-parameters make sense; the error names the key.
    public func validate(file: String) throws(ModelFileError) {
        func fail(_ key: CodingKeys, _ reason: String) -> ModelFileError {
            ModelFileError(file: file, key: key.rawValue, reason: reason)
        }
        guard family != nil else { throw fail(.modelType, "unsupported model type '\(modelType)' (supported: llama, mistral, qwen2, qwen3, gemma3_text, gpt2, bert)") }
        let limits: [(CodingKeys, Int?, Int)] = [
            (.hiddenSize, hiddenSize, 1 << 16), (.numHiddenLayers, numHiddenLayers, 1024),
            (.numAttentionHeads, numAttentionHeads, 1024), (.numKeyValueHeads, numKeyValueHeads, 1024),
            (.intermediateSize, intermediateSize, 1 << 18), (.maxPositionEmbeddings, maxPositionEmbeddings, 1 << 24),
            (.vocabSize, vocabSize, 1 << 24), (.headDim, headDim, 1 << 12), (.typeVocabSize, typeVocabSize, 1 << 16),
        ]
        for (key, value, limit) in limits {
            guard let value else { continue }
            guard value >= 1, value <= limit else { throw fail(key, "\(value) is not in 1...\(limit)") }
        }
        if headDim == nil, hiddenSize % numAttentionHeads != 0 {
            throw fail(.numAttentionHeads, "head count \(numAttentionHeads) does not divide the width \(hiddenSize)")
        }
        if numAttentionHeads % keyValueHeadCount != 0 {
            throw fail(.numKeyValueHeads, "KV head count \(keyValueHeadCount) does not divide the head count \(numAttentionHeads)")
        }
        if family == .bert, numKeyValueHeads.map({ $0 != numAttentionHeads }) ?? false {
            throw fail(.numKeyValueHeads, "a BERT model has one KV head per query head")
        }
        for (key, value) in [(CodingKeys.ropeTheta, ropeTheta), (.rmsNormEps, rmsNormEps), (.layerNormEps, layerNormEps)] {
            guard let value else { continue }
            guard value.isFinite, value > 0 else { throw fail(key, "\(value) must be a positive finite number") }
        }
    }

    /// One line from a decoding error: the key path and what was wrong.
    static func describe(_ error: DecodingError, file: String) -> ModelFileError {
        func path(_ context: DecodingError.Context) -> String? {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? nil : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return ModelFileError(file: file, key: parent.map { $0 + "." + key.stringValue } ?? key.stringValue, reason: "required key is missing")
        case .typeMismatch(let type, let context):
            return ModelFileError(file: file, key: path(context), reason: "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return ModelFileError(file: file, key: path(context), reason: "expected \(type), found null")
        case .dataCorrupted(let context):
            // Foundation reports a fraction or an out-of-range number for an integer key this way too.
            let hint = context.codingPath.isEmpty ? " (or a number that does not fit an integer key)" : ""
            return ModelFileError(file: file, key: path(context), reason: "invalid config JSON\(hint): \(context.debugDescription)")
        @unknown default:
            return ModelFileError(file: file, reason: "invalid config JSON")
        }
    }
}
