import ArgumentParser
import Foundation
import TokenscopeFormats
import TokenscopeTransformer

/// `tokenscope inspect`: a model file's architecture, hyper-parameters, tokenizer and tensors.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a model file's architecture, tokenizer and tensors.")

    @OptionGroup var modelOptions: ModelOptions
    @Flag(name: .long, help: "Print JSON with architecture, sizes and the tensor table.") var json = false

    struct Tensor: Encodable {
        let name: String
        let type: String
        let shape: [Int]
        let bytes: Int
        let offset: Int
    }

    struct Output: Encodable {
        let file: String
        var format = "gguf"
        let gguf_version: UInt32
        let architecture: String
        let name: String?
        // Sizes are nil when the file does not state them (an architecture Tokenscope does not
        // run may name its sizes differently).
        let block_count: Int?
        let embedding_length: Int?
        let feed_forward_length: Int?
        let head_count: Int?
        let head_count_kv: Int?
        let context_length: Int?
        let vocab_size: Int
        let rope_freq_base: Double
        let rms_epsilon: Double
        let parameters: Int
        let tokenizer_model: String?
        let tokenizer_pre: String?
        let merges: Int
        let bos_token_id: Int?
        let eos_token_id: Int?
        let add_bos_token: Bool?
        /// `run` (the explorer runs it), `encode` or `inspect` (only inspect and tokenize open it).
        let use: String
        /// Why it cannot run, when it cannot.
        let reason: String?
        let tensors: [Tensor]
    }

    func run() throws {
        let location = try ModelLocator.resolve(explicit: modelOptions.model)
        if location.isFolder { try inspectFolder(location.path); return }
        let path = location.path
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw CommandFailure(error.description) }
        let m = file.metadata
        let output: Output
        let catalogue = ModelCatalog.entry(path)
        do {
            let architecture = try m.string("general.architecture")
            let a = architecture + "."
            output = Output(
                file: path, gguf_version: file.version, architecture: architecture, name: try m.stringIfPresent("general.name"),
                block_count: try m.intIfPresent(a + "block_count"), embedding_length: try m.intIfPresent(a + "embedding_length"),
                feed_forward_length: try m.intIfPresent(a + "feed_forward_length"), head_count: try m.intIfPresent(a + "attention.head_count"),
                head_count_kv: try m.intIfPresent(a + "attention.head_count_kv") ?? m.intIfPresent(a + "attention.head_count"),
                context_length: try m.intIfPresent(a + "context_length"),
                vocab_size: try m.stringArrayIfPresent("tokenizer.ggml.tokens")?.count ?? 0,
                rope_freq_base: try m.floatIfPresent(a + "rope.freq_base") ?? 10_000,
                rms_epsilon: try m.floatIfPresent(a + "attention.layer_norm_rms_epsilon") ?? 0,
                parameters: file.tensorInfos.reduce(0) { $0 + $1.shape.reduce(1, *) },
                tokenizer_model: try m.stringIfPresent("tokenizer.ggml.model"), tokenizer_pre: try m.stringIfPresent("tokenizer.ggml.pre"),
                merges: try m.stringArrayIfPresent("tokenizer.ggml.merges")?.count ?? 0,
                bos_token_id: try m.intIfPresent("tokenizer.ggml.bos_token_id"), eos_token_id: try m.intIfPresent("tokenizer.ggml.eos_token_id"),
                add_bos_token: try m.boolIfPresent("tokenizer.ggml.add_bos_token"),
                use: catalogue.use.rawValue, reason: catalogue.reason,
                tensors: file.tensorInfos.map { Tensor(name: $0.name, type: $0.type.description, shape: $0.shape, bytes: $0.byteCount, offset: $0.offset) })
        } catch let error as ModelFileError {
            throw CommandFailure(error.description)
        }
        if json { try printJSON(output); return }
        print("\(output.name ?? "model")  (\(path))")
        print("GGUF v\(output.gguf_version), architecture \(output.architecture), \(output.parameters) parameters")
        func size(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        print("blocks \(size(output.block_count)), width \(size(output.embedding_length)), MLP \(size(output.feed_forward_length)), "
            + "heads \(size(output.head_count)) (KV heads \(size(output.head_count_kv))), context \(size(output.context_length))")
        print(output.reason.map { "runs: no — \($0); inspect and tokenize read it" } ?? "runs: yes (explorer, predict, generate)")
        print("rope base \(output.rope_freq_base), RMS-norm epsilon \(output.rms_epsilon)")
        print("tokenizer \(output.tokenizer_model ?? "-") (pre-tokenizer \(output.tokenizer_pre ?? "-")), "
            + "\(output.vocab_size) tokens, \(output.merges) merges, BOS \(output.bos_token_id.map(String.init) ?? "-"), "
            + "EOS \(output.eos_token_id.map(String.init) ?? "-"), add BOS \(output.add_bos_token.map { $0 ? "yes" : "no" } ?? "-")")
        print("")
        printTable(output.tensors)
    }

    /// The tensor table, one line per tensor.
    func printTable(_ tensors: [Tensor]) {
        let width = tensors.map(\.name.count).max() ?? 4
        print("name".padding(toLength: width, withPad: " ", startingAt: 0) + "  type   shape           bytes       offset")
        for t in tensors {
            let shape = t.shape.map(String.init).joined(separator: "×")
            print(t.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + t.type.padding(toLength: 5, withPad: " ", startingAt: 0) + "  "
                + shape.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: "%10d  %11d", t.bytes, t.offset))
        }
    }
}
