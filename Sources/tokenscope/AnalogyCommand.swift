import ArgumentParser
import Foundation
import TokenscopeTransformer

/// `tokenscope analogy A B C`: the words nearest to a − b + c.
struct AnalogyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogy", abstract: "Embedding arithmetic: a - b + c.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "a") var a: String
    @Argument(help: "b (subtracted)") var b: String
    @Argument(help: "c (added)") var c: String
    @Option(name: .shortAndLong, help: "How many results.") var k: Int = 10
    @Flag(name: .long, help: "Print a JSON array of {\"id\", \"token\", \"text\", \"similarity\"}.") var json = false

    func run() async throws {
        guard k > 0 else { throw ValidationError("--k must be at least 1") }
        let model = try modelOptions.loadModel()
        let space = EmbeddingSpace(model: model)
        do {
            let (words, results) = try space.analogy([(a, 1), (b, -1), (c, 1)], k: k)
            try report(results, words: words, model: model, json: json)
        } catch let error as ModelError {
            throw CommandFailure(error.description)
        }
    }
}
