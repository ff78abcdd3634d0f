import ArgumentParser

/// `tokenscope analogy`: Embedding arithmetic: a - b + c.
struct AnalogyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogy", abstract: "Embedding arithmetic: a - b + c.")

    func run() async throws {
        throw ValidationError("'analogy' is not built yet")
    }
}
