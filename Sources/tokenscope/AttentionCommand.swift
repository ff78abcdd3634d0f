import ArgumentParser

/// `tokenscope attention`: Print one head's attention matrix.
struct AttentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attention", abstract: "Print one head's attention matrix.")

    func run() async throws {
        throw ValidationError("'attention' is not built yet")
    }
}
