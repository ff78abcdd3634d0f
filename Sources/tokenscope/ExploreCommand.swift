import ArgumentParser

/// `tokenscope explore`: Open the interactive explorer (the default).
struct ExploreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explore", abstract: "Open the interactive explorer (the default).")

    func run() async throws {
        throw ValidationError("'explore' is not built yet")
    }
}
