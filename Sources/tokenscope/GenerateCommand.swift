import ArgumentParser

/// `tokenscope generate`: Generate text token by token.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate text token by token.")

    func run() async throws {
        throw ValidationError("'generate' is not built yet")
    }
}
