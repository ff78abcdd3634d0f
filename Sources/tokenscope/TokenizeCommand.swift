import ArgumentParser

/// `tokenscope tokenize`: Split text into tokens.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Split text into tokens.")

    func run() async throws {
        throw ValidationError("'tokenize' is not built yet")
    }
}
