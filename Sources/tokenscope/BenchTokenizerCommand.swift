import ArgumentParser

/// `tokenscope tokenizer`: Tokenizer encode throughput on one thread.
struct BenchTokenizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenizer", abstract: "Tokenizer encode throughput on one thread.")

    func run() async throws {
        throw ValidationError("'tokenizer' is not built yet")
    }
}
