import ArgumentParser
import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

/// `tokenscope attribute`: direct logit attribution of the next token after a prompt.
struct AttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Each head's and MLP's direct contribution to a token's logit after a prompt.",
        discussion: """
            Contributions go through the final norm's scale frozen at the run's value and the target's \
            unembedding row, so embedding + components (+ biases) add up to the logit. Layers and heads count from 0.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The prompt; special tokens like <|im_start|> are parsed.") var prompt: String
    @Option(name: .long, help: "The target token's text (one token, e.g. ' Paris'); default: the top candidate.")
    var target: String?
    @Option(name: .long, help: "How many top contributors to list (text output).") var top: Int = 12
    @Flag(name: .long, help: "Print JSON: {target, logit, embedding, components: [{kind, layer, head?, contribution}], total}.")
    var json = false

    struct Output: Encodable {
        struct Component: Encodable { let kind: String; let layer: Int; let head: Int?; let contribution: Double }
        let target: String
        let targetID: Int
        let position: Int
        let logit: Double
        let embedding: Double
        let biases: Double
        let components: [Component]
        let total: Double
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let ids = model.promptTokens(prompt)
        guard !ids.isEmpty else { throw CommandFailure("the prompt is empty") }
        var targetID: Int?
        if let target {
            let pieces = model.promptTokens(target)
            guard pieces.count == 1, let id = pieces.first else {
                throw CommandFailure("--target '\(target)' is \(pieces.count) tokens (\(pieces.map { model.tokenizer.tokenString($0) }.joined(separator: " "))); give the text of one token")
            }
            targetID = id
        }
        let attribution: LogitAttribution
        do { attribution = try model.attribute(ids, target: targetID) } catch { throw CommandFailure(error.description) }
        let output = Output(
            target: model.tokenizer.decode([attribution.target]), targetID: attribution.target, position: attribution.position,
            logit: attribution.logit, embedding: attribution.embedding, biases: attribution.biases,
            components: attribution.components.map { .init(kind: $0.kind.rawValue, layer: $0.layer, head: $0.head, contribution: $0.contribution) },
            total: attribution.total)
        if json { try printJSON(output); return }
        print("target \(TokenSpelling.visible(output.target)) (id \(output.targetID)) after position \(output.position)")
        print(String(format: "logit %.3f · embedding %.3f + components %.3f%@ = %.3f", output.logit, output.embedding,
                     output.total - output.embedding - output.biases, output.biases == 0 ? "" : String(format: " + biases %.3f", output.biases), output.total))
        for c in attribution.components.sorted(by: { abs($0.contribution) > abs($1.contribution) }).prefix(max(0, top)) {
            let name = c.head.map { "L\(c.layer).H\($0)" } ?? "L\(c.layer) MLP"
            print(String(format: "%-10@ %+8.3f", name as NSString, c.contribution))
        }
    }
}
