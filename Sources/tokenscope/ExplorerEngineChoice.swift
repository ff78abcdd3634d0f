import Foundation
import TokenscopeExplorer
import TokenscopeFormats
import TokenscopeTransformer

// MARK: - A decoder or an encoder behind the explorer

/// The engine for the model the options name: a sentence encoder (an HF folder whose
/// `config.json` names an encoder family, such as all-MiniLM-L6-v2) opens as an encoder —
/// similarity instead of sampling, nothing generated — and anything else as a decoder.
func loadExplorerEngine(_ options: ModelOptions, _ compare: CompareOptions) throws -> any ExplorerEngine {
    if let folder = encoderFolder(options.model ?? ProcessInfo.processInfo.environment["TOKENSCOPE_MODEL"]) {
        let engine: EncoderExplorerEngine
        do { engine = EncoderExplorerEngine(encoder: try SentenceEncoder(folder: folder)) } catch { throw CommandFailure(error.description) }
        engine.comparisonTokenizers = try compare.tokenizers(encoder: true)
        return engine
    }
    let engine = LiveExplorerEngine(model: try loadExplorerModel(options))
    engine.comparisonTokenizers = try compare.tokenizers()
    return engine
}

/// `path` when it is a folder whose `config.json` names an encoder architecture.
func encoderFolder(_ path: String?) -> String? {
    guard let path, !path.isEmpty else { return nil }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
        let data = FileManager.default.contents(atPath: path + "/" + HFModelFolder.configName),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let modelType = object["model_type"] as? String, ArchitectureRegistry.encoder(modelType: modelType) != nil
    else { return nil }
    return path
}
