import ArgumentParser

/// `tokenscope neighbors`: Nearest neighbours of a word in embedding space.
struct NeighborsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "neighbors", abstract: "Nearest neighbours of a word in embedding space.")

    func run() async throws {
        throw ValidationError("'neighbors' is not built yet")
    }
}
