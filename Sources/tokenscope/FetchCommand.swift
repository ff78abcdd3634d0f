import ArgumentParser

/// `tokenscope fetch`: Download the default models into the cache.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fetch", abstract: "Download the default models into the cache.")

    func run() async throws {
        throw ValidationError("'fetch' is not built yet")
    }
}
