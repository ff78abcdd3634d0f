import ArgumentParser
import Foundation
import TokenscopeFormats

/// `tokenscope fetch`: downloads the default models into the cache.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download the default models (SmolLM2-135M-Instruct, all-MiniLM-L6-v2), or the named ones, into the cache.")

    @Argument(help: "Optional models to fetch instead of the defaults: gemma3 (Gemma 3 270M, Q4_K_M GGUF).")
    var models: [String] = []

    @Flag(name: .long, help: "Download again even when the files are there.") var force = false

    func run() async throws {
        do {
            guard !models.isEmpty else { return try ModelFetcher.ensureDefaultModels(force: force) { print($0) } }
            for name in models {
                guard let artifact = ModelFetcher.optional.first(where: { $0.name == name }) else {
                    throw CommandFailure("unknown model '\(name)' (known: \(ModelFetcher.optional.map(\.name).joined(separator: ", ")))")
                }
                try ModelFetcher.ensure(artifact, force: force) { print($0) }
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
