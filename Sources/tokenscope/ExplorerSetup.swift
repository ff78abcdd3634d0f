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
func loadExplorerModel(_ options: ModelOptions) throws -> LlamaModel {
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

/// Parses `120x40`.
func parseSize(_ text: String) throws -> (Int, Int) {
    let parts = text.lowercased().split(separator: "x")
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...1000).contains(w), (1...1000).contains(h) else {
        throw CommandFailure("--size must look like 120x40")
    }
    return (w, h)
}

extension Theme.Name: ExpressibleByArgument {}
extension ColorDepth: ExpressibleByArgument {}
