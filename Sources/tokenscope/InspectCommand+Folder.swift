import Foundation
import TokenscopeFormats

// MARK: - Inspecting an HF model folder

extension InspectCommand {
    /// A number that encodes as JSON `null` when absent (instead of leaving the key out).
    struct Nullable<Value: Encodable>: Encodable {
        let value: Value?
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if let value { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    /// `inspect --json` for an HF folder: the GGUF keys where they apply (`head_count_kv` is the head
    /// count for BERT, `rope_freq_base` null), shapes as the safetensors file writes them
    /// (slowest-varying first), offsets absolute in model.safetensors.
    struct FolderOutput: Encodable {
        let file: String
        let format: String
        let architecture: String
        let name: String?
        let block_count: Int
        let embedding_length: Int
        let feed_forward_length: Int
        let head_count: Int
        let head_count_kv: Int
        let context_length: Int
        let vocab_size: Int
        let rope_freq_base: Nullable<Double>
        let norm_epsilon: Nullable<Double>
        let hidden_act: String?
        let parameters: Int
        let tokenizer_model: String?
        let tokenizer_vocab_size: Int?
        let metadata: [String: String]
        let tensors: [Tensor]
    }

    func inspectFolder(_ path: String) throws {
        let folder: HFModelFolder
        do { folder = try HFModelFolder(path: path) } catch { throw CommandFailure(error.description) }
        let c = folder.config
        let tokenizer = Self.tokenizerSummary(folder.tokenizerPath)
        let output = FolderOutput(
            file: folder.path, format: "safetensors", architecture: c.modelType, name: c.architectures?.first,
            block_count: c.numHiddenLayers, embedding_length: c.hiddenSize, feed_forward_length: c.intermediateSize,
            head_count: c.numAttentionHeads, head_count_kv: c.keyValueHeadCount, context_length: c.maxPositionEmbeddings,
            vocab_size: c.vocabSize, rope_freq_base: Nullable(value: c.family == .llama ? (c.ropeTheta ?? 10_000) : nil),
            norm_epsilon: Nullable(value: c.rmsNormEps ?? c.layerNormEps), hidden_act: c.hiddenAct,
            parameters: folder.weights.tensorInfos.filter { $0.type != .i64 }.reduce(0) { $0 + $1.shape.reduce(1, *) },
            tokenizer_model: tokenizer.model, tokenizer_vocab_size: tokenizer.vocabulary, metadata: folder.weights.metadata,
            tensors: folder.weights.tensorInfos.map { Tensor(name: $0.name, type: $0.dtype, shape: $0.shape, bytes: $0.byteCount, offset: $0.offset) })
        if json { try printJSON(output); return }
        print("\(output.name ?? "model")  (\(folder.path))")
        print("HF folder (config.json, model.safetensors, tokenizer.json), architecture \(output.architecture), \(output.parameters) parameters")
        print("blocks \(output.block_count), width \(output.embedding_length), MLP \(output.feed_forward_length), "
            + "heads \(output.head_count) (KV heads \(output.head_count_kv)), context \(output.context_length)")
        print("rope base \(output.rope_freq_base.value.map { "\($0)" } ?? "- (learned positions)"), "
            + "norm epsilon \(output.norm_epsilon.value.map { "\($0)" } ?? "-"), activation \(output.hidden_act ?? "-")")
        print("tokenizer \(output.tokenizer_model ?? "-"), \(output.tokenizer_vocab_size.map(String.init) ?? "-") tokens (config: \(output.vocab_size))")
        print("shapes as stored (slowest-varying first)")
        print("")
        printTable(output.tensors)
    }

    /// The tokenizer.json model type and vocabulary size, when it can be read (a summary only: the
    /// tokenizer module validates the file when it loads it).
    static func tokenizerSummary(_ path: String) -> (model: String?, vocabulary: Int?) {
        guard let data = FileManager.default.contents(atPath: path),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let model = root["model"] as? [String: Any]
        else { return (nil, nil) }
        let vocabulary = (model["vocab"] as? [String: Any])?.count ?? (model["vocab"] as? [Any])?.count
        let added = (root["added_tokens"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } ?? []
        let extra = vocabulary.map { count in added.filter { $0 >= count }.count } ?? 0
        return (model["type"] as? String, vocabulary.map { $0 + extra })
    }
}
