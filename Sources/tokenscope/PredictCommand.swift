import ArgumentParser

/// `tokenscope predict`: Show the next-token distribution after a prompt.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Show the next-token distribution after a prompt.")

    func run() async throws {
        throw ValidationError("'predict' is not built yet")
    }
}
