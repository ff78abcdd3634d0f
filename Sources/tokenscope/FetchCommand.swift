import ArgumentParser
import Foundation
import TokenscopeFormats

/// `tokenscope fetch`: downloads the default models into the cache.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Download the default models (SmolLM2-135M-Instruct, all-MiniLM-L6-v2) into the cache.")

    @Flag(name: .long, help: "Download again even when the files are there.") var force = false

    func run() async throws {
        do {
            try ModelFetcher.ensureDefaultModels(force: force) { print($0) }
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
