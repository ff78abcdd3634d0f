import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport

/// HF config.json decoding and validation, and HF model folders (built by the tests and the real
/// all-MiniLM-L6-v2 folder).
@Suite struct HFModelFolderTests {
    static let llamaConfig = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 576, "intermediate_size": 1536,
         "num_hidden_layers": 30, "num_attention_heads": 9, "num_key_value_heads": 3, "max_position_embeddings": 8192,
         "vocab_size": 49152, "rope_theta": 100000.0, "rms_norm_eps": 1e-05, "hidden_act": "silu", "tie_word_embeddings": true,
         "torch_dtype": "bfloat16", "rope_scaling": null}
        """
    static let bertConfig = """
        {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 384, "intermediate_size": 1536,
         "num_hidden_layers": 6, "num_attention_heads": 12, "max_position_embeddings": 512, "vocab_size": 30522,
         "layer_norm_eps": 1e-12, "hidden_act": "gelu", "type_vocab_size": 2}
        """

    func config(_ text: String) throws(ModelFileError) -> HFConfig { try HFConfig(json: Data(text.utf8), file: "x/config.json") }

    /// `text` with `key`'s value replaced by `value` (JSON text).
    func replacing(_ text: String, _ key: String, with value: String) -> String {
        let pattern = "\"\(key)\": [^,}]+"
        return text.replacingOccurrences(of: pattern, with: "\"\(key)\": \(value)", options: .regularExpression)
    }

    func expectRefused(_ text: String, key: String?, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try config(text)
            Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == "x/config.json", sourceLocation: sourceLocation)
            #expect(error.key == key, "\(error.description)", sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - config.json

    @Test func decodesGPT2sOwnNames() throws {
        let gpt2 = try config("""
            {"model_type": "gpt2", "n_embd": 768, "n_layer": 12, "n_head": 12, "n_inner": null, "n_positions": 1024,
             "vocab_size": 50257, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new"}
            """)
        #expect(gpt2.family == .gpt2 && gpt2.hiddenSize == 768 && gpt2.numHiddenLayers == 12 && gpt2.numAttentionHeads == 12)
        #expect(gpt2.intermediateSize == 3072 && gpt2.maxPositionEmbeddings == 1024 && gpt2.layerNormEps == 1e-5)
        #expect(gpt2.hiddenAct == "gelu_new" && gpt2.headSize == 64 && gpt2.ropeTheta == nil)
        expectRefused(#"{"model_type": "gpt2", "n_layer": 12}"#, key: "hidden_size", "missing")
    }

    @Test func decodesLlamaAndBERTConfigs() throws {
        let llama = try config(Self.llamaConfig)
        #expect(llama.family == .llama && llama.numHiddenLayers == 30 && llama.hiddenSize == 576)
        #expect(llama.numAttentionHeads == 9 && llama.keyValueHeadCount == 3 && llama.headSize == 64)
        #expect(llama.ropeTheta == 100_000 && llama.rmsNormEps == 1e-5 && llama.tieWordEmbeddings == true)
        let bert = try config(Self.bertConfig)
        #expect(bert.family == .bert && bert.numHiddenLayers == 6 && bert.hiddenSize == 384 && bert.numAttentionHeads == 12)
        #expect(bert.keyValueHeadCount == 12 && bert.headSize == 32 && bert.intermediateSize == 1536)
        #expect(bert.maxPositionEmbeddings == 512 && bert.vocabSize == 30522 && bert.ropeTheta == nil && bert.layerNormEps == 1e-12)
    }

    @Test func refusesConfigsThatMakeNoSense() {
        expectRefused("{", key: nil, "invalid config JSON")
        expectRefused("[]", key: nil, "expected")
        expectRefused(Self.bertConfig.replacingOccurrences(of: "\"hidden_size\": 384,", with: ""), key: "hidden_size", "missing")
        expectRefused(replacing(Self.bertConfig, "hidden_size", with: "\"384\""), key: "hidden_size", "expected")
        expectRefused(replacing(Self.bertConfig, "hidden_size", with: "384.5"), key: nil, "does not fit an integer key")
        expectRefused(replacing(Self.bertConfig, "hidden_size", with: "null"), key: "hidden_size", "null")
        expectRefused(replacing(Self.bertConfig, "model_type", with: "\"mamba\""), key: "model_type", "unsupported model type")
        expectRefused(replacing(Self.bertConfig, "num_attention_heads", with: "0"), key: "num_attention_heads", "not in 1...")
        expectRefused(replacing(Self.bertConfig, "num_attention_heads", with: "-3"), key: "num_attention_heads", "not in 1...")
        expectRefused(replacing(Self.bertConfig, "num_hidden_layers", with: "0"), key: "num_hidden_layers", "not in 1...")
        expectRefused(replacing(Self.bertConfig, "vocab_size", with: "9223372036854775807"), key: "vocab_size", "not in 1...")
        expectRefused(replacing(Self.bertConfig, "vocab_size", with: "18446744073709551616"), key: nil, "does not fit an integer key")
        expectRefused(replacing(Self.bertConfig, "num_attention_heads", with: "7"), key: "num_attention_heads", "does not divide the width")
        expectRefused(replacing(Self.llamaConfig, "num_key_value_heads", with: "2"), key: "num_key_value_heads", "does not divide the head count")
        expectRefused(replacing(Self.llamaConfig, "num_key_value_heads", with: "0"), key: "num_key_value_heads", "not in 1...")
        expectRefused(replacing(Self.llamaConfig, "rope_theta", with: "-1"), key: "rope_theta", "positive")
        expectRefused(replacing(Self.bertConfig, "layer_norm_eps", with: "0"), key: "layer_norm_eps", "positive")
    }

    // MARK: - Folders

    /// Writes a folder with the given config, a BERT-named safetensors file with `blocks` blocks and
    /// an embedding of `vocab`×`width`, and a tokenizer.json (unless left out).
    func makeFolder(config: String, blocks: Int, vocab: Int = 8, width: Int = 4, tokenizer: Bool = true) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-hf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(config.utf8).write(to: URL(fileURLWithPath: folder + "/config.json"))
        var tensors: [(String, String, [Int], Int, Int)] = [("embeddings.word_embeddings.weight", "F32", [vocab, width], 0, vocab * width * 4)]
        var end = vocab * width * 4
        for block in 0..<blocks {
            tensors.append(("encoder.layer.\(block).output.dense.bias", "F32", [width], end, end + width * 4))
            end += width * 4
        }
        let builder = SafetensorsBuilder(header: SafetensorsBuilder.header(tensors), data: [UInt8](repeating: 0, count: end))
        try Data(builder.bytes).write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        if tokenizer { try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/tokenizer.json")) }
        return folder
    }

    var tinyBERT: String {
        var text = Self.bertConfig
        for (key, value) in [("hidden_size", "4"), ("num_attention_heads", "2"), ("num_hidden_layers", "3"), ("vocab_size", "8")] {
            text = replacing(text, key, with: value)
        }
        return text
    }

    @Test func opensAFolderAndChecksItAgainstTheWeights() throws {
        let good = try makeFolder(config: tinyBERT, blocks: 3)
        defer { try? FileManager.default.removeItem(atPath: good) }
        let folder = try HFModelFolder(path: good + "/")
        #expect(folder.path == good && folder.config.numHiddenLayers == 3 && folder.weights.tensorInfos.count == 4)
        #expect(folder.tokenizerPath == good + "/tokenizer.json")
        #expect(HFModelFolder.isModelFolder(good) && !HFModelFolder.isModelFolder(good + "/config.json"))
        // --model > TOKENSCOPE_MODEL > cache, with a folder at either place.
        let explicit = try ModelLocator.resolve(explicit: good, environment: ["TOKENSCOPE_MODEL": "/elsewhere"])
        #expect(explicit.path == good && explicit.isFolder && explicit.source == "--model")
        #expect(try ModelLocator.resolve(explicit: nil, environment: ["TOKENSCOPE_MODEL": good]).isFolder)

        let missingBlock = try makeFolder(config: tinyBERT, blocks: 2)
        defer { try? FileManager.default.removeItem(atPath: missingBlock) }
        #expect { try HFModelFolder(path: missingBlock) } throws: { error in
            let e = error as? ModelFileError
            return e?.file == missingBlock + "/model.safetensors" && e?.key == "encoder.layer.2.*" && e?.reason.contains("block 2 has no tensors") == true
        }

        let wrongEmbedding = try makeFolder(config: tinyBERT, blocks: 3, vocab: 9)
        defer { try? FileManager.default.removeItem(atPath: wrongEmbedding) }
        #expect { try HFModelFolder(path: wrongEmbedding) } throws: { error in
            (error as? ModelFileError)?.reason.contains("does not match config.json") == true
        }

        let noTokenizer = try makeFolder(config: tinyBERT, blocks: 3, tokenizer: false)
        defer { try? FileManager.default.removeItem(atPath: noTokenizer) }
        #expect { try HFModelFolder(path: noTokenizer) } throws: { error in
            (error as? ModelFileError)?.file == noTokenizer + "/tokenizer.json"
        }
        #expect(throws: ModelFileError.self) { try HFModelFolder(path: noTokenizer + "/nothing-here") }
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func theMiniLMFolderOpens() throws {
        let path = try ModelFixture.requireMiniLMFolder()
        let folder = try HFModelFolder(path: path)
        let c = folder.config
        #expect(c.family == .bert && c.architectures == ["BertModel"])
        #expect(c.numHiddenLayers == 6 && c.hiddenSize == 384 && c.numAttentionHeads == 12 && c.keyValueHeadCount == 12)
        #expect(c.intermediateSize == 1536 && c.maxPositionEmbeddings == 512 && c.vocabSize == 30522 && c.typeVocabSize == 2)
        #expect(folder.weights.tensorInfos.count == 104)
        // Resolution: a folder given as --model is found as a folder.
        let location = try ModelLocator.resolve(explicit: path, environment: [:])
        #expect(location.isFolder && location.source == "--model")
        let fromEnvironment = try ModelLocator.resolve(explicit: nil, environment: ["TOKENSCOPE_MODEL": path])
        #expect(fromEnvironment.isFolder && fromEnvironment.source == "TOKENSCOPE_MODEL")
    }
}
