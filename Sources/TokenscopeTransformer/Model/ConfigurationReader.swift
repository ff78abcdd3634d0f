import Foundation
import TokenscopeFormats

// MARK: - Reading a configuration

/// Reads a ``ModelConfiguration`` from GGUF metadata (`{architecture}.block_count`, …) or an HF
/// `config.json` (`num_hidden_layers` or GPT-2's `n_layer`, …): one list of hyper-parameters,
/// each with its GGUF key and its HF names, for every architecture.
struct ConfigurationReader {
    /// Where the values come from.
    enum Source {
        /// GGUF metadata; keys are `architecture.` + the GGUF suffix.
        case gguf(GGUFMetadata)
        /// A decoded config.json object.
        case json([String: Any])
    }

    /// A hyper-parameter: its GGUF key suffix and its HF names, most common first.
    struct Key {
        let gguf: String?
        let hf: [String]
        static let blockCount = Key(gguf: "block_count", hf: ["num_hidden_layers", "n_layer"])
        static let width = Key(gguf: "embedding_length", hf: ["hidden_size", "n_embd"])
        static let mlpWidth = Key(gguf: "feed_forward_length", hf: ["intermediate_size", "n_inner"])
        static let headCount = Key(gguf: "attention.head_count", hf: ["num_attention_heads", "n_head"])
        static let kvHeadCount = Key(gguf: "attention.head_count_kv", hf: ["num_key_value_heads"])
        static let headSize = Key(gguf: "attention.key_length", hf: ["head_dim"])
        static let valueSize = Key(gguf: "attention.value_length", hf: [])
        static let rotaryDimensions = Key(gguf: "rope.dimension_count", hf: [])
        static let ropeBase = Key(
            gguf: "rope.freq_base", hf: ["rope_theta", "rope_parameters.rope_theta", "rope_parameters.full_attention.rope_theta"])
        static let localRopeBase = Key(gguf: nil, hf: ["rope_local_base_freq", "rope_parameters.sliding_attention.rope_theta"])
        static let rmsEpsilon = Key(gguf: "attention.layer_norm_rms_epsilon", hf: ["rms_norm_eps"])
        static let layerEpsilon = Key(gguf: "attention.layer_norm_epsilon", hf: ["layer_norm_epsilon", "layer_norm_eps"])
        static let contextLength = Key(gguf: "context_length", hf: ["max_position_embeddings", "n_positions"])
        static let vocabularySize = Key(gguf: nil, hf: ["vocab_size"])
        static let slidingWindow = Key(gguf: "attention.sliding_window", hf: ["sliding_window"])
        static let attentionSoftcap = Key(gguf: "attn_logit_softcapping", hf: ["attn_logit_softcapping"])
        static let finalLogitSoftcap = Key(gguf: "final_logit_softcapping", hf: ["final_logit_softcapping"])
    }

    let source: Source
    let architecture: Architecture
    /// The file named in errors.
    let file: String

    // MARK: Values

    /// The value of `key` as a number, or nil when absent (or JSON null).
    func number(_ key: Key) throws(ModelError) -> Double? {
        switch source {
        case .gguf(let metadata):
            guard let suffix = key.gguf else { return nil }
            let name = architecture.name + "." + suffix
            guard let value = metadata[name] else { return nil }
            if let number = value.intValue { return Double(number) }
            if let number = value.floatValue { return number }
            throw .file(ModelFileError(file: file, key: name, reason: "expected a number, found \(value.type)"))
        case .json(let object):
            for name in key.hf {
                // A dotted name reads inside nested objects (`rope_parameters.rope_theta`).
                var found: Any? = object
                for part in name.split(separator: ".") { found = (found as? [String: Any])?[String(part)] }
                guard let value = found, !(value is NSNull) else { continue }
                guard let number = value as? NSNumber else {
                    throw .unsupported(file: file, reason: "config key \(name) is \(value), not a number")
                }
                return number.doubleValue
            }
            return nil
        }
    }

    /// The value of `key` as a whole number, or nil when absent.
    func int(_ key: Key) throws(ModelError) -> Int? {
        guard let value = try number(key) else { return nil }
        guard value.rounded() == value, abs(value) < 1e15 else {
            throw .unsupported(file: file, reason: "\(name(of: key)) is \(value), not a whole number")
        }
        return Int(value)
    }

    /// The value of `key`, which the file must state.
    func requiredInt(_ key: Key) throws(ModelError) -> Int {
        guard let value = try int(key) else { throw .unsupported(file: file, reason: "\(name(of: key)) is missing") }
        return value
    }

    /// How the file names `key`, for errors.
    func name(of key: Key) -> String {
        switch source {
        case .gguf: architecture.name + "." + (key.gguf ?? "?")
        case .json: key.hf.joined(separator: " / ")
        }
    }

    // MARK: The configuration

    /// Reads every hyper-parameter; `vocabularySize` comes from the embedding matrix's rows when
    /// the file does not state it.
    func configuration(embeddingRows: Int) throws(ModelError) -> ModelConfiguration {
        let d = architecture.defaults
        let width = try requiredInt(.width)
        let headCount = try requiredInt(.headCount)
        let mlpWidth: Int
        if let stated = try int(.mlpWidth) {
            mlpWidth = stated
        } else if let factor = d.mlpWidthFactor {
            mlpWidth = factor * width
        } else {
            throw .unsupported(file: file, reason: "\(name(of: .mlpWidth)) is missing")
        }
        let headSize: Int
        if let stated = try int(.headSize) {
            headSize = stated
        } else {
            guard headCount > 0, width % headCount == 0 else {
                throw .unsupported(file: file, reason: "head count \(headCount) does not divide the width \(width)")
            }
            headSize = width / headCount
        }
        if let valueSize = try int(.valueSize), valueSize != headSize {
            throw .unsupported(file: file, reason: "value length \(valueSize) differs from key length \(headSize), which Tokenscope cannot run")
        }
        if architecture.recipe.positions == .rotary, let dimensions = try int(.rotaryDimensions), dimensions != headSize {
            throw .unsupported(file: file, reason: "rotary positions on \(dimensions) of \(headSize) head dimensions are not supported")
        }
        let epsilonKey: Key = architecture.recipe.norm == .rms ? .rmsEpsilon : .layerEpsilon
        guard let epsilon = try number(epsilonKey) else {
            throw .unsupported(file: file, reason: "\(name(of: epsilonKey)) is missing")
        }
        let ropeBase = Float(try number(.ropeBase) ?? Double(d.ropeBase))
        let isGGUF: Bool
        if case .gguf = source { isGGUF = true } else { isGGUF = false }
        return ModelConfiguration(
            architecture: architecture.name, recipe: architecture.recipe,
            rotaryStyle: isGGUF ? architecture.ggufRotary : architecture.hfRotary,
            blockCount: try requiredInt(.blockCount), width: width, mlpWidth: mlpWidth, headCount: headCount,
            kvHeadCount: try int(.kvHeadCount) ?? headCount, headSize: headSize, ropeBase: ropeBase,
            localRopeBase: Float(try number(.localRopeBase) ?? Double(d.localRopeBase ?? ropeBase)),
            normEpsilon: Float(epsilon), contextLength: try requiredInt(.contextLength),
            vocabularySize: try int(.vocabularySize) ?? embeddingRows,
            slidingWindow: try int(.slidingWindow) ?? d.slidingWindow ?? 0,
            attentionSoftcap: try number(.attentionSoftcap).map(Float.init),
            finalLogitSoftcap: try number(.finalLogitSoftcap).map(Float.init))
    }
}
