import Foundation
import TokenscopeFormats
import TokenscopeTokenizers

// MARK: - The model

/// A loaded Llama-family model: configuration, weights mapped from its GGUF file, and its tokenizer.
///
/// Immutable and shareable between threads; sessions (`InferenceSession`) hold the mutable state.
public final class LlamaModel: Sendable {
    /// The file the model was read from.
    public let path: String
    /// A display name (`general.name`, or the file name).
    public let name: String
    /// Sizes of the network.
    public let configuration: LlamaConfiguration
    /// The model's own tokenizer, read from the same file.
    public let tokenizer: BPETokenizer
    /// Bytes of the model file.
    public let fileSize: Int
    /// Number of weights in every tensor.
    public let parameterCount: Int
    /// The tensor types of the weights, for display (e.g. "Q4_1").
    public let weightTypeSummary: String
    let weights: LlamaWeights
    let file: GGUFFile

    /// Opens a GGUF file of a Llama-family model and checks every tensor the forward pass reads.
    public init(path: String) throws(ModelError) {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw .file(error) }
        let configuration = try Self.configuration(of: file)
        if let problem = configuration.validate() {
            throw .unsupported(file: path, reason: problem)
        }
        let tokenizer: BPETokenizer
        do { tokenizer = try BPETokenizer(gguf: file) } catch {
            throw .unsupported(file: path, reason: "tokenizer: \(error)")
        }
        guard tokenizer.vocabularySize == configuration.vocabularySize else {
            throw .unsupported(
                file: path,
                reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but token_embd.weight has \(configuration.vocabularySize) rows")
        }
        self.path = path
        self.file = file
        self.configuration = configuration
        self.tokenizer = tokenizer
        self.weights = try LlamaWeights(file: file, configuration: configuration)
        self.name = (try? file.metadata.string("general.name")) ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        self.fileSize = file.tensorInfos.reduce(0) { $0 + $1.byteCount }
        self.parameterCount = file.tensorInfos.reduce(0) { $0 + $1.shape.reduce(1, *) }
        let blockTypes = Set(weights.blocks.flatMap { [$0.query.type, $0.gate.type, $0.down.type] }).map(\.description).sorted()
        self.weightTypeSummary = blockTypes.joined(separator: "/")
    }

    /// The tokens a raw prompt becomes: special tokens parsed, BOS first only when the model asks for it.
    public func promptTokens(_ text: String) -> [Int] {
        let ids = tokenizer.encode(text, parseSpecial: true)
        if tokenizer.addsBOS, let bos = tokenizer.bosID { return [bos] + ids }
        return ids
    }

    /// Reads the Llama hyper-parameters from GGUF metadata.
    static func configuration(of file: GGUFFile) throws(ModelError) -> LlamaConfiguration {
        let m = file.metadata
        do {
            let architecture = try m.string("general.architecture")
            guard architecture == "llama" else {
                throw ModelError.unsupported(
                    file: file.path, reason: "architecture '\(architecture)' is not supported yet (only 'llama')")
            }
            let embedding = try file.tensor(named: "token_embd.weight")
            guard embedding.shape.count == 2 else {
                throw ModelError.unsupported(file: file.path, reason: "token_embd.weight is not a matrix")
            }
            return LlamaConfiguration(
                blockCount: try m.int("llama.block_count"),
                width: try m.int("llama.embedding_length"),
                mlpWidth: try m.int("llama.feed_forward_length"),
                headCount: try m.int("llama.attention.head_count"),
                kvHeadCount: try m.intIfPresent("llama.attention.head_count_kv") ?? m.int("llama.attention.head_count"),
                ropeBase: Float(try m.floatIfPresent("llama.rope.freq_base") ?? 10_000),
                rmsEpsilon: Float(try m.float("llama.attention.layer_norm_rms_epsilon")),
                contextLength: try m.int("llama.context_length"),
                vocabularySize: embedding.shape[1])
        } catch let error as ModelError {
            throw error
        } catch let error as ModelFileError {
            throw .file(error)
        } catch {
            throw .unsupported(file: file.path, reason: "\(error)")
        }
    }
}
