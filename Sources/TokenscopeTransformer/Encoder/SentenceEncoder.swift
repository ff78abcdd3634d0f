import Foundation
import TokenscopeFormats
import TokenscopeTokenizers

// MARK: - Sentence encoder

/// A BERT-family encoder run as sentence-transformers runs it: WordPiece tokens (with `[CLS]` and
/// `[SEP]`, truncated to ``maxTokens``), the encoder's forward pass, mean pooling over the tokens
/// and L2 normalisation. all-MiniLM-L6-v2 gives 384-dimensional unit vectors whose dot products are
/// cosine similarities: the embedding semantic search ranks by.
///
/// The architecture comes from the registry (``ArchitectureRegistry/encoders``), the sizes from
/// `config.json` through the same configuration reader as the decoders, the weights by role through
/// the architecture's names; the matrix products are the decoders' kernels. Immutable after loading,
/// so one encoder may serve several threads (each call spreads its own work over the worker pool).
public final class SentenceEncoder: Sendable {
    /// The HF folder the encoder was loaded from.
    public let path: String
    /// The family (BERT).
    public let architecture: Architecture
    /// Sizes read from `config.json`.
    public let configuration: ModelConfiguration
    /// The WordPiece tokenizer of `tokenizer.json`.
    public let tokenizer: WordPieceTokenizer
    /// Longest token sequence embedded, `[CLS]` and `[SEP]` included: sentence-transformers'
    /// `max_seq_length` (256 for all-MiniLM-L6-v2, from `sentence_bert_config.json`), else the
    /// model's position count. Longer texts are truncated, as sentence-transformers does.
    public let maxTokens: Int
    let weights: EncoderWeights

    /// Length of an embedding (the model's width).
    public var dimension: Int { configuration.width }

    /// A short display name: the folder's last component.
    public var name: String { URL(fileURLWithPath: path).lastPathComponent }

    /// File naming sentence-transformers' settings inside the folder.
    public static let sentenceConfigName = "sentence_bert_config.json"

    /// Opens the encoder in the HF folder at `path` (config.json, model.safetensors, tokenizer.json).
    /// An architecture that is not an encoder, a missing tensor or a wrong shape is an error naming it.
    public init(folder path: String) throws(ModelError) {
        let folder = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let configPath = folder + "/" + HFModelFolder.configName
        let object = try Self.jsonObject(at: configPath, required: true) ?? [:]
        guard let modelType = object["model_type"] as? String else {
            throw .unsupported(file: configPath, reason: "model_type is missing")
        }
        guard let architecture = ArchitectureRegistry.encoder(modelType: modelType) else {
            let encoders = ArchitectureRegistry.encoders.map(\.name).joined(separator: ", ")
            throw .unsupported(file: configPath, reason: "model type '\(modelType)' is not a supported encoder (supported: \(encoders))")
        }
        let (source, configuration) = try TransformerModel.folderWeights(folder, config: object, configPath: configPath, architecture: architecture)
        let tokenizerPath = folder + "/" + HFModelFolder.tokenizerName
        let tokenizer: WordPieceTokenizer
        do { tokenizer = try WordPieceTokenizer(tokenizerJSON: tokenizerPath) } catch {
            throw .unsupported(file: tokenizerPath, reason: "tokenizer: \(error)")
        }
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw .unsupported(
                file: folder,
                reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but the embedding has \(configuration.vocabularySize) rows")
        }
        let sentenceConfigPath = folder + "/" + Self.sentenceConfigName
        var maxTokens = configuration.contextLength
        if let settings = try Self.jsonObject(at: sentenceConfigPath, required: false), let stated = settings["max_seq_length"] {
            guard let number = stated as? Int, number >= 2 else {
                throw .unsupported(file: sentenceConfigPath, reason: "max_seq_length is \(stated), not a whole number of at least 2")
            }
            maxTokens = min(number, configuration.contextLength)
        }
        self.path = folder
        self.architecture = architecture
        self.configuration = configuration
        self.tokenizer = tokenizer
        self.maxTokens = maxTokens
        self.weights = try EncoderWeights(source: source, configuration: configuration)
    }

    /// Opens the default encoder (all-MiniLM-L6-v2 in the model cache).
    public static func openDefault() throws(ModelError) -> SentenceEncoder {
        try SentenceEncoder(folder: ModelLocator.miniLMFolder())
    }

    // MARK: Tokens

    /// The token ids `text` is embedded from: `[CLS]`, its word pieces (special tokens spelled in
    /// the text are parsed, as HF does), `[SEP]`; truncated to ``maxTokens`` keeping `[SEP]` last.
    public func tokens(_ text: String) -> [Int] {
        let pieces = tokenizer.encode(bytes: Array(text.utf8), parseSpecial: true, addSpecialTokens: false)
        let room = max(0, maxTokens - tokenizer.prefixIDs.count - tokenizer.suffixIDs.count)
        return tokenizer.prefixIDs + pieces.prefix(room) + tokenizer.suffixIDs
    }

    // MARK: Embeddings

    /// The sentence embeddings of `texts`, in order: unit vectors of ``dimension`` floats.
    /// `progress` is called with the number of texts done after each batch.
    public func embed(_ texts: [String], progress: ((Int) -> Void)? = nil) throws(ModelError) -> [[Float]] {
        try embed(tokenSequences: texts.map(tokens), progress: progress)
    }

    /// The sentence embeddings of token sequences (each with its `[CLS]` and `[SEP]`, at most
    /// ``maxTokens`` long, every id inside the vocabulary).
    public func embed(tokenSequences: [[Int]], progress: ((Int) -> Void)? = nil) throws(ModelError) -> [[Float]] {
        for (index, sequence) in tokenSequences.enumerated() {
            guard !sequence.isEmpty, sequence.count <= configuration.contextLength else {
                throw .invalidRequest("sequence \(index) has \(sequence.count) tokens; an encoder takes 1...\(configuration.contextLength)")
            }
            if let bad = sequence.first(where: { $0 < 0 || $0 >= configuration.vocabularySize }) {
                throw .invalidRequest("sequence \(index) has token id \(bad), outside the vocabulary (\(configuration.vocabularySize))")
            }
        }
        var results: [[Float]] = []
        results.reserveCapacity(tokenSequences.count)
        var start = 0
        while start < tokenSequences.count {
            // A batch: sequences in order until the token budget is reached (at least one).
            var end = start, total = 0
            while end < tokenSequences.count, end == start || total + tokenSequences[end].count <= Self.batchTokenBudget {
                total += tokenSequences[end].count
                end += 1
            }
            results += try forward(batch: Array(tokenSequences[start..<end]))
            start = end
            progress?(end)
        }
        return results
    }

    /// Tokens run through the encoder together: enough rows to keep the matrix kernel busy, few
    /// enough that the activations stay in cache.
    static let batchTokenBudget = 384

    // MARK: Files

    /// The JSON object in `path`; nil when it does not exist and is not required.
    static func jsonObject(at path: String, required: Bool) throws(ModelError) -> [String: Any]? {
        if !required && !FileManager.default.fileExists(atPath: path) { return nil }
        do {
            let mapping = try MappedFile(path: path)
            guard mapping.bytes.count <= 1 << 20 else {
                throw ModelError.unsupported(file: path, reason: "\(mapping.bytes.count) bytes is too large for a settings file")
            }
            guard let decoded = try JSONSerialization.jsonObject(with: Data(mapping.bytes)) as? [String: Any] else {
                throw ModelError.unsupported(file: path, reason: "not a JSON object")
            }
            return decoded
        } catch let error as ModelError {
            throw error
        } catch let error as ModelFileError {
            throw .file(error)
        } catch {
            throw .unsupported(file: path, reason: "invalid JSON: \(error.localizedDescription)")
        }
    }
}
