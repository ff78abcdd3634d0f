import Foundation

// MARK: - HF model folders

/// An HF model folder: `config.json` (hyper-parameters), `model.safetensors` (weights) and
/// `tokenizer.json` (the tokenizer), opened and cross-checked so that later stages can trust it.
///
/// Checks beyond each file's own: every block `0..<num_hidden_layers` has tensors, and the token
/// embedding (when found under its usual name) is `[vocab_size, hidden_size]`.
public struct HFModelFolder: Sendable {
    /// The folder.
    public let path: String
    /// The decoded, validated config.json.
    public let config: HFConfig
    /// The weights.
    public let weights: SafetensorsFile
    /// Path of `tokenizer.json`.
    public let tokenizerPath: String

    /// File name of the hyper-parameters inside the folder.
    public static let configName = "config.json"
    /// File name of the weights inside the folder (one file; sharded weights are not supported).
    public static let weightsName = "model.safetensors"
    /// File name of the tokenizer inside the folder.
    public static let tokenizerName = "tokenizer.json"

    /// Whether `path` is a folder that looks like an HF model (it has a config.json).
    public static func isModelFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.fileExists(atPath: path + "/" + configName)
    }

    /// Opens the folder at `path`.
    public init(path: String) throws(ModelFileError) {
        let folder = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelFileError(file: folder, reason: "not a folder")
        }
        for name in [Self.configName, Self.weightsName, Self.tokenizerName] {
            let file = folder + "/" + name
            guard FileManager.default.fileExists(atPath: file) else {
                let sharded = name == Self.weightsName && FileManager.default.fileExists(atPath: file + ".index.json")
                throw ModelFileError(file: file, reason: sharded
                    ? "sharded weights (model.safetensors.index.json) are not supported; merge them into one model.safetensors"
                    : "missing: an HF model folder needs config.json, model.safetensors and tokenizer.json")
            }
        }
        let config = try HFConfig(path: folder + "/" + Self.configName)
        let weights = try SafetensorsFile(path: folder + "/" + Self.weightsName)
        try Self.crossCheck(config, weights)
        self.path = folder
        self.config = config
        self.weights = weights
        self.tokenizerPath = folder + "/" + Self.tokenizerName
    }

    /// The prefix of block `index`'s tensor names (`encoder.layer.3.`, `model.layers.3.`), given
    /// the names present (BERT checkpoints may prefix everything with `bert.`).
    public static func blockPrefix(_ index: Int, family: HFConfig.Family, names: [String]) -> String {
        switch family {
        case .llama: return "model.layers.\(index)."
        case .gpt2: return (names.contains { $0.hasPrefix("transformer.") } ? "transformer." : "") + "h.\(index)."
        case .bert: return (names.contains { $0.hasPrefix("bert.") } ? "bert." : "") + "encoder.layer.\(index)."
        }
    }

    /// The token embedding's name for the family.
    public static func tokenEmbeddingName(family: HFConfig.Family, names: [String]) -> String {
        switch family {
        case .llama: return "model.embed_tokens.weight"
        case .gpt2: return (names.contains { $0.hasPrefix("transformer.") } ? "transformer." : "") + "wte.weight"
        case .bert: return (names.contains { $0.hasPrefix("bert.") } ? "bert." : "") + "embeddings.word_embeddings.weight"
        }
    }

    static func crossCheck(_ config: HFConfig, _ weights: SafetensorsFile) throws(ModelFileError) {
        guard let family = config.family else { return }  // validate() already rejected it
        let names = weights.tensorInfos.map(\.name)
        for block in 0..<config.numHiddenLayers {
            let prefix = blockPrefix(block, family: family, names: names)
            guard names.contains(where: { $0.hasPrefix(prefix) }) else {
                throw ModelFileError(file: weights.path, key: prefix + "*",
                    reason: "num_hidden_layers is \(config.numHiddenLayers) but block \(block) has no tensors")
            }
        }
        let embedding = tokenEmbeddingName(family: family, names: names)
        if let info = weights.info(named: embedding), info.shape != [config.vocabSize, config.hiddenSize] {
            throw ModelFileError(file: weights.path, key: embedding,
                reason: "shape \(info.shape) does not match config.json's [vocab_size, hidden_size] = [\(config.vocabSize), \(config.hiddenSize)]")
        }
    }
}
