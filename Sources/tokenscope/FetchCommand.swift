import ArgumentParser
import Foundation
import TokenscopeFormats

/// `tokenscope fetch`: downloads the default models into the cache, or checks what is there.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download the default models (SmolLM2-135M-Instruct, all-MiniLM-L6-v2), or the named ones, into the cache.",
        discussion: """
            Files already in the cache are checked against their SHA-256 first; a corrupt one is downloaded \
            again. --verify only checks (exit status 1 when a file is missing or corrupt). --force downloads \
            again; the old copy stays in place until the new one has been checked.
            """)

    @Argument(help: "Optional models to fetch instead of the defaults: gemma3 (Gemma 3 270M, Q4_K_M GGUF).")
    var models: [String] = []

    @Flag(name: .long, help: "Download again even when the files are there.") var force = false
    @Flag(name: .long, help: "Only check the SHA-256 of the cached files; download nothing.") var verify = false

    func validate() throws {
        if force && verify { throw ValidationError("--verify checks the cache and --force downloads: give one of them") }
    }

    func run() throws {
        if verify {
            var failed = false
            let cache = ModelLocator.cacheDirectory()
            for artifact in ModelFetcher.defaults {
                switch CacheVerifier.verify(artifact) {
                case .good: print("\(artifact.destination): good (SHA-256 \(artifact.check.sha256.prefix(12))…) in \(cache)")
                case .missing:
                    failed = true
                    print("\(artifact.destination): missing from \(cache); run 'tokenscope fetch'")
                case .corrupt(let reason):
                    failed = true
                    print("\(artifact.destination): CORRUPT: \(reason); run 'tokenscope fetch' to download it again")
                }
            }
            if failed { throw ExitCode.failure }
            return
        }
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
