import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeFormats
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Getting the explorer a model

/// The prompt the explorer opens on when none is given.
let defaultPrompt = "The capital of France is"

/// Loads the model for the explorer, fetching the default one on first run (saying so on stderr).
func loadExplorerModel(_ options: ModelOptions) throws -> TransformerModel {
    if options.model == nil, ProcessInfo.processInfo.environment["TOKENSCOPE_MODEL"] == nil, !ModelFetcher.isInstalled() {
        FileHandle.standardError.write(Data("The default model is not downloaded yet: fetching it now (about 180 MB, once).\n".utf8))
        do {
            try ModelFetcher.ensureDefaultModels { FileHandle.standardError.write(Data("  \($0)\n".utf8)) }
        } catch {
            throw CommandFailure(error.description)
        }
    }
    return try options.loadModel()
}

/// Lets the model picker (`m`) list the cached models and the one on screen, and load the one
/// chosen (a decoder with the same comparison tokenizers, or an encoder folder) without restarting.
func enableModelSwitching(_ runtime: ExplorerRuntime, engine: any ExplorerEngine) {
    let comparisons = (engine as? LiveExplorerEngine)?.comparisonTokenizers ?? CompareOptions().defaultComparisonTokenizers()
    let given = engine.modelPath
    runtime.modelCatalog = { ModelsCommand.entries(extra: given) }
    runtime.engineLoader = { path in
        if let folder = encoderFolder(path) {
            let engine: EncoderExplorerEngine
            do { engine = EncoderExplorerEngine(encoder: try SentenceEncoder(folder: folder)) } catch { throw CommandFailure("\(error)") }
            engine.comparisonTokenizers = CompareOptions.decoderComparisonTokenizers()
            return engine
        }
        let model: TransformerModel
        do { model = try TransformerModel(path: path) } catch { throw CommandFailure("\(error)") }
        let engine = LiveExplorerEngine(model: model)
        engine.comparisonTokenizers = comparisons
        return engine
    }
    runtime.crossModelLoader = { encoder in try loadCrossModel(encoder: encoder, extra: given) }
}

/// The model of the other kind for the attention view's comparison (`d`): the cached MiniLM when
/// an encoder is asked, the default model (SmolLM2) when a decoder is; else the first of that kind
/// the model picker lists.
func loadCrossModel(encoder: Bool, extra: String?) throws -> any ExplorerEngine {
    let preferred = encoder ? ModelLocator.miniLMFolder() : ModelLocator.defaultModelPath()
    let entries = ModelsCommand.entries(extra: extra).filter { $0.use == (encoder ? .encode : .run) }
    let path = FileManager.default.fileExists(atPath: preferred) ? preferred : entries.first?.path
    guard let path else {
        throw CommandFailure("no \(encoder ? "encoder" : "decoder") in the model cache: run `tokenscope fetch`")
    }
    do {
        if encoder { return EncoderExplorerEngine(encoder: try SentenceEncoder(folder: path)) }
        return LiveExplorerEngine(model: try TransformerModel(path: path))
    } catch {
        throw CommandFailure("cannot open \(path): \(error)")
    }
}

/// Parses `120x40` (each side 1...1000).
func parseSize(_ text: String) throws -> (Int, Int) {
    let parts = text.lowercased().split(separator: "x")
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...1000).contains(w), (1...1000).contains(h) else {
        throw ValidationError("--size must look like 120x40 (each side 1...1000)")
    }
    return (w, h)
}

/// `value` capped at the model's vocabulary size (there are no more candidates than tokens), with
/// a note on stderr when it was capped.
func clampToVocabulary(_ value: Int, option: String, model: TransformerModel) -> Int {
    let vocabulary = model.configuration.vocabularySize
    guard value > vocabulary else { return value }
    FileHandle.standardError.write(Data("note: \(option) \(value) is more than the vocabulary (\(vocabulary) tokens); showing all \(vocabulary)\n".utf8))
    return vocabulary
}

extension Theme.Name: ExpressibleByArgument {}
extension ColorDepth: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
