// MARK: - The registry

/// Every architecture Tokenscope runs, keyed by GGUF `general.architecture` and HF `model_type`.
///
/// To add a family: write its file beside this one (see Docs/ADDING-AN-ARCHITECTURE.md) and list
/// it in ``all``.
public enum ArchitectureRegistry {
    /// The supported architectures, in the order they are named to users.
    public static let all: [Architecture] = [.llama, .gpt2, .qwen2, .qwen3, .gemma3]

    /// The supported encoder architectures (run by ``SentenceEncoder``, not by the decoder's forward pass).
    public static let encoders: [Architecture] = [.bert]

    /// The encoder architecture an HF `config.json`'s `model_type` names, or nil.
    public static func encoder(modelType: String) -> Architecture? {
        encoders.first { $0.modelTypes.contains(modelType) }
    }

    /// The architecture a GGUF file's `general.architecture` names, or nil.
    public static func architecture(gguf name: String) -> Architecture? {
        all.first { $0.name == name }
    }

    /// The architecture an HF `config.json`'s `model_type` names, or nil.
    public static func architecture(modelType: String) -> Architecture? {
        all.first { $0.modelTypes.contains(modelType) }
    }

    /// The supported names, for error messages ("llama, gpt2, qwen2, qwen3, gemma3").
    public static var supportedNames: String { all.map(\.name).joined(separator: ", ") }
}
