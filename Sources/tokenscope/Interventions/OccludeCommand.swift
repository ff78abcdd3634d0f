import ArgumentParser
import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

/// `tokenscope occlude`: which prompt tokens the next-token prediction depends on.
struct OccludeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "occlude",
        abstract: "Drop each prompt token in turn and show how the target's log-probability changes.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The prompt; special tokens like <|im_start|> are parsed.") var prompt: String
    @Option(name: .long, help: "The target token's text (one token); default: the top candidate.") var target: String?
    @Flag(name: .long, help: "Print JSON: {target, baseline, tokens: [{position, token, delta}]}.") var json = false

    struct Output: Encodable {
        struct Token: Encodable { let position: Int; let token: String; let delta: Double }
        let target: String
        let baseline: Double
        let tokens: [Token]
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let ids = model.promptTokens(prompt)
        var targetID: Int?
        if let target {
            let pieces = model.promptTokens(target)
            guard pieces.count == 1 else { throw CommandFailure("--target '\(target)' is \(pieces.count) tokens; give the text of one token") }
            targetID = pieces[0]
        }
        let result: Occlusion
        do { result = try model.occlusion(ids, target: targetID) } catch { throw CommandFailure(error.description) }
        let output = Output(
            target: model.tokenizer.decode([result.target]), baseline: result.baseline,
            tokens: ids.indices.map { .init(position: $0, token: model.tokenizer.decode([ids[$0]]), delta: result.deltas[$0]) })
        if json { try printJSON(output); return }
        print(String(format: "target %@ · log p %.3f · Δ log p when each token is dropped (negative: it helped)",
                     TokenSpelling.visible(output.target), output.baseline))
        for token in output.tokens {
            let bar = String(repeating: token.delta < 0 ? "▇" : "░", count: min(40, Int((abs(token.delta) * 4).rounded())))
            print(String(format: "%4d %+8.3f  ", token.position, token.delta) + TokenSpelling.visible(token.token).padding(toLength: 14, withPad: " ", startingAt: 0) + " " + bar)
        }
    }
}
