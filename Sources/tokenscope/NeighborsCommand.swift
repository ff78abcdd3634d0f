import ArgumentParser
import Foundation
import TokenscopeTransformer

/// `tokenscope neighbors`: the nearest vocabulary entries to a word in the input embedding space.
struct NeighborsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbors", abstract: "Nearest neighbours of a word in embedding space (cosine).")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "A word; \" king\" (leading space) and \"king\" are different tokens.") var word: String
    @Option(name: .shortAndLong, help: "How many neighbours.") var k: Int = 10
    @Flag(name: .long, help: "Print a JSON array of {\"id\", \"token\", \"text\", \"similarity\"}.") var json = false

    func run() async throws {
        guard k > 0 else { throw ValidationError("--k must be at least 1") }
        let model = try modelOptions.loadModel()
        let space = EmbeddingSpace(model: model)
        do {
            let query = try space.word(word)
            let excluded = Set(query.ids)  // the word itself, or its pieces
            try report(space.nearest(to: query.vector, k: k, excluding: excluded), words: [query], model: model, json: json)
        } catch let error as ModelError {
            throw CommandFailure(error.description)
        }
    }
}

