import Foundation
import TokenscopeFormats
import TokenscopeTokenizers

// MARK: - The model

/// A loaded decoder-only transformer of any registered architecture: configuration, weights mapped
/// from its file, and its tokenizer.
///
/// Opens a GGUF file (the architecture from `general.architecture`) or an HF folder with
/// `config.json`, `model.safetensors` and `tokenizer.json` (the architecture from `model_type`).
/// Immutable and shareable between threads; sessions (`InferenceSession`) hold the mutable state.
public final class TransformerModel: Sendable {
    /// The file or folder the model was read from.
    public let path: String
    /// A display name (`general.name`, or the file or folder name).
    public let name: String
    /// The architecture: the recipe every forward pass follows.
    public let architecture: Architecture
    /// Sizes of the network.
    public let configuration: ModelConfiguration
    /// The model's own tokenizer, read from the same file or folder: byte-level BPE or
    /// SentencePiece BPE (Gemma), as the file's `tokenizer.ggml.model` says.
    public let tokenizer: any Tokenizer
    /// Bytes of the weights.
    public let fileSize: Int
    /// Number of weights in every tensor.
    public let parameterCount: Int
    /// The tensor types of the weights, for display (e.g. "Q4_1").
    public let weightTypeSummary: String
    let weights: ModelWeights

    /// Opens a GGUF file or an HF model folder and checks every tensor the forward pass reads.
    public convenience init(path: String) throws(ModelError) {
        try self.init(path: path, idsOnly: false)
    }

    /// Opens a model; when `idsOnly` and the file's tokenizer kind is not one Tokenscope reads,
    /// the tokenizer holds the vocabulary without merges — enough to name ids, not to encode
    /// text — so the forward pass can be checked on token ids from another implementation.
    init(path: String, idsOnly: Bool) throws(ModelError) {
        let source: WeightSource
        let configuration: ModelConfiguration
        let tokenizer: any Tokenizer
        var displayName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if HFModelFolder.isModelFolder(path) {
            (source, configuration, tokenizer) = try Self.openFolder(path)
        } else {
            let file: GGUFFile
            do { file = try GGUFFile(path: path) } catch { throw .file(error) }
            (source, configuration) = try Self.openGGUF(file)
            // A model that will run: its weights are mapped on the other core while the tokenizer
            // is built (after the checks, so a file refused here is never read in full).
            file.mapping.prefetch()
            do { tokenizer = try Self.generativeTokenizer(file) } catch {
                guard idsOnly, let vocabulary = Self.vocabularyOnly(file) else {
                    throw .unsupported(file: path, reason: "tokenizer: \(error)")
                }
                tokenizer = vocabulary
            }
            guard tokenizer.vocabularySize == configuration.vocabularySize else {
                throw .unsupported(
                    file: path,
                    reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but token_embd.weight has \(configuration.vocabularySize) rows")
            }
            if let stated = try? file.metadata.string("general.name") { displayName = stated }
        }
        self.path = path
        self.architecture = source.architecture
        self.configuration = configuration
        self.tokenizer = tokenizer
        self.weights = try ModelWeights(source: source, configuration: configuration)
        self.name = displayName
        let sizes = source.tensorSizes
        self.fileSize = sizes.reduce(0) { $0 + $1.bytes }
        self.parameterCount = sizes.reduce(0) { $0 + $1.elements }
        let blockTypes = Set(weights.blocks.flatMap { [$0.query.type, $0.up.type, $0.down.type] }).map(\.description).sorted()
        self.weightTypeSummary = blockTypes.joined(separator: "/")
    }

    /// The tokens a raw prompt becomes: special tokens parsed, BOS first only when the model asks for it.
    public func promptTokens(_ text: String) -> [Int] {
        let ids = tokenizer.encode(text, parseSpecial: true)
        if tokenizer.addsBOS, let bos = tokenizer.bosID { return [bos] + ids }
        return ids
    }

    // MARK: Opening files

    /// The architecture and configuration of a GGUF file.
    static func openGGUF(_ file: GGUFFile) throws(ModelError) -> (WeightSource, ModelConfiguration) {
        let name: String
        do { name = try file.metadata.string("general.architecture") } catch { throw .file(error) }
        guard let architecture = ArchitectureRegistry.architecture(gguf: name) else {
            throw .unsupported(file: file.path, reason: "architecture '\(name)' is not supported (supported: \(ArchitectureRegistry.supportedNames))")
        }
        let source = WeightSource(gguf: file, architecture: architecture)
        let embedding = try source.view(.tokenEmbedding)
        guard embedding.shape.count == 2 else {
            throw .unsupported(file: file.path, reason: "\(embedding.name) is not a matrix")
        }
        let reader = ConfigurationReader(source: .gguf(file.metadata), architecture: architecture, file: file.path)
        return (source, try validated(reader.configuration(embeddingRows: embedding.shape[1]), file: file.path))
    }

    /// The tokenizer of a GGUF decoder: byte-level BPE or SentencePiece BPE (WordPiece belongs to
    /// encoders, which ``SentenceEncoder`` runs).
    static func generativeTokenizer(_ file: GGUFFile) throws(TokenizerError) -> any Tokenizer {
        let tokenizer = try GGUFTokenizer.load(file)
        guard tokenizer is BPETokenizer || tokenizer is SentencePieceTokenizer else {
            throw .file(ModelFileError(
                file: file.path, key: "tokenizer.ggml.model",
                reason: "a \(tokenizer.algorithmName) tokenizer belongs to an encoder, not a decoder"))
        }
        return tokenizer
    }

    /// The tokenizer as byte-level BPE, for what only BPE has (merge ranks, the merge replay); nil
    /// for SentencePiece.
    public var bpeTokenizer: BPETokenizer? { tokenizer as? BPETokenizer }

    /// The GGUF vocabulary as a tokenizer without merges (see `init(path:idsOnly:)`).
    static func vocabularyOnly(_ file: GGUFFile) -> BPETokenizer? {
        guard let tokens = try? file.metadata.strings("tokenizer.ggml.tokens") else { return nil }
        let types = (try? file.metadata.intsIfPresent("tokenizer.ggml.token_type")) ?? nil
        let bos = (try? file.metadata.intIfPresent("tokenizer.ggml.bos_token_id")) ?? nil
        return try? BPETokenizer(
            tokens: tokens, merges: [], tokenTypes: types ?? [], preTokenizer: .gpt2,
            bosID: bos.flatMap { $0 >= 0 && $0 < tokens.count ? $0 : nil }, eosIDs: [], addsBOS: false)
    }

    /// Largest config.json read (a real one is a few kilobytes).
    static let maximumConfigBytes = 1 << 20

    /// The architecture, configuration and tokenizer of an HF folder.
    static func openFolder(_ path: String) throws(ModelError) -> (WeightSource, ModelConfiguration, BPETokenizer) {
        let folder = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let configPath = folder + "/" + HFModelFolder.configName
        let object: [String: Any]
        do {
            let mapping = try MappedFile(path: configPath)
            guard mapping.bytes.count <= maximumConfigBytes else {
                throw ModelError.unsupported(file: configPath, reason: "\(mapping.bytes.count) bytes is too large for a config.json")
            }
            guard let decoded = try JSONSerialization.jsonObject(with: Data(mapping.bytes)) as? [String: Any] else {
                throw ModelError.unsupported(file: configPath, reason: "config.json is not a JSON object")
            }
            object = decoded
        } catch let error as ModelError {
            throw error
        } catch let error as ModelFileError {
            throw .file(error)
        } catch {
            throw .unsupported(file: configPath, reason: "invalid config JSON: \(error.localizedDescription)")
        }
        guard let modelType = object["model_type"] as? String else {
            throw .unsupported(file: configPath, reason: "model_type is missing")
        }
        guard let architecture = ArchitectureRegistry.architecture(modelType: modelType) else {
            throw .unsupported(file: configPath, reason: "model type '\(modelType)' is not supported (supported: \(ArchitectureRegistry.supportedNames))")
        }
        let (source, configuration) = try folderWeights(folder, config: object, configPath: configPath, architecture: architecture)
        let tokenizerPath = folder + "/" + HFModelFolder.tokenizerName
        let tokenizer: BPETokenizer
        do { tokenizer = try BPETokenizer(tokenizerJSON: tokenizerPath) } catch {
            throw .unsupported(file: tokenizerPath, reason: "tokenizer: \(error)")
        }
        // HF checkpoints may pad the embedding past the tokenizer (Qwen); never the other way.
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw .unsupported(
                file: folder,
                reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but the embedding has \(configuration.vocabularySize) rows")
        }
        return (source, configuration, tokenizer)
    }

    /// The weights of an HF folder (`model.safetensors`) read with `architecture`'s tensor names,
    /// and the configuration its `config.json` (already parsed: `config`) and the embedding's width
    /// give, checked: how both a decoder folder and an encoder folder open.
    static func folderWeights(_ folder: String, config: [String: Any], configPath: String, architecture: Architecture) throws(ModelError) -> (WeightSource, ModelConfiguration) {
        let weightsPath = folder + "/" + HFModelFolder.weightsName
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw .file(error) }
        let source = WeightSource(safetensors: file, architecture: architecture)
        let embedding = try source.view(.tokenEmbedding)
        guard embedding.shape.count == 2 else { throw .unsupported(file: weightsPath, reason: "\(embedding.name) is not a matrix") }
        let reader = ConfigurationReader(source: .json(config), architecture: architecture, file: configPath)
        return (source, try validated(reader.configuration(embeddingRows: embedding.shape[1]), file: configPath))
    }

    private static func validated(_ configuration: ModelConfiguration, file: String) throws(ModelError) -> ModelConfiguration {
        if let problem = configuration.validate() { throw .unsupported(file: file, reason: problem) }
        return configuration
    }
}
