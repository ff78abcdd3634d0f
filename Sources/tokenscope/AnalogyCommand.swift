import ArgumentParser
import Foundation
import TokenscopeTransformer

/// `tokenscope analogy A B C`: the words nearest to a − b + c.
struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogy", abstract: "Embedding arithmetic: a - b + c.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "a (looked up as inside running text, like the explorer: \"king\" is the token \" king\")") var a: String
    @Argument(help: "b (subtracted)") var b: String
    @Argument(help: "c (added)") var c: String
    @Option(name: .shortAndLong, help: "How many results.") var k: Int = 10
    @Flag(name: .long, help: "Look the words up exactly as typed (\"king\" without the leading space).") var asTyped = false
    @Flag(name: .long, help: "Print a JSON array of {\"id\", \"token\", \"text\", \"similarity\"}.") var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let k = clampToVocabulary(k, option: "-k", model: model)
        let space = EmbeddingSpace(model: model)
        do {
            let spelled = [a, b, c].map { asTyped ? $0 : space.runningTextSpelling($0) }
            for (typed, used) in zip([a, b, c], spelled) { noteSpelling(typed: typed, used: used) }
            let (words, results) = try space.analogy([(spelled[0], 1), (spelled[1], -1), (spelled[2], 1)], k: k)
            try report(results, words: words, model: model, json: json)
        } catch let error as ModelError {
            throw CommandFailure(error.description)
        }
    }
}
