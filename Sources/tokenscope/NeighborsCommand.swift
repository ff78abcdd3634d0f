import ArgumentParser
import Foundation
import TokenscopeTransformer

/// `tokenscope neighbors`: the nearest vocabulary entries to a word in the input embedding space.
struct NeighborsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbors", abstract: "Nearest neighbours of a word in embedding space (cosine).")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "A word, looked up as inside running text: \"king\" finds the token \" king\" when there is one (as the explorer does).")
    var word: String
    @Flag(name: .long, help: "Look the word up exactly as typed (\"king\" without the leading space).") var asTyped = false
    @Option(name: .shortAndLong, help: "How many neighbours.") var k: Int = 10
    @Flag(name: .long, help: "Print a JSON array of {\"id\", \"token\", \"text\", \"similarity\"}.") var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let k = clampToVocabulary(k, option: "--k", model: model)
        let space = EmbeddingSpace(model: model)
        do {
            let query = try space.word(asTyped ? word : space.runningTextSpelling(word))
            noteSpelling(typed: word, used: query.text)
            let excluded = Set(query.ids)  // the word itself, or its pieces
            try report(space.nearest(to: query.vector, k: k, excluding: excluded), words: [query], model: model, json: json)
        } catch let error as ModelError {
            throw CommandFailure(error.description)
        }
    }
}

