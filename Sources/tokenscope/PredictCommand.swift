import ArgumentParser
import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

/// `tokenscope predict`: the next-token distribution after a raw prompt.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Show the next-token distribution after a prompt (no chat template).")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The prompt; special tokens like <|im_start|> are parsed.") var prompt: String
    @Option(name: .long, help: "How many candidates to show.") var top: Int = 10
    @Flag(name: .long, help: "Print JSON: {\"ids\": [...], \"top\": [{\"id\", \"token\", \"text\", \"logit\", \"prob\"}]}.")
    var json = false

    struct Output: Encodable {
        struct Candidate: Encodable { let id: Int; let token: String; let text: String; let logit: Float; let prob: Float }
        let ids: [Int]
        let top: [Candidate]
    }

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let top = clampToVocabulary(top, option: "--top", model: model)
        let ids = model.promptTokens(prompt)
        let session = InferenceSession(model: model, options: .off)
        let logits: [Float]
        do { logits = try session.append(ids) } catch { throw CommandFailure(error.description) }
        let best = Softmax.top(logits, count: top)
        let output = Output(ids: ids, top: best.map {
            .init(id: $0.id, token: model.tokenizer.tokenString($0.id), text: model.tokenizer.decode([$0.id]),
                  logit: $0.logit, prob: $0.probability)
        })
        if json { try printJSON(output); return }
        print("prompt: \(output.ids.count) tokens")
        print("  #     prob     logit      id  token")  // the columns of the rows below
        for (rank, candidate) in output.top.enumerated() {
            let bar = String(repeating: "█", count: Int((candidate.prob * 40).rounded()))
            print(String(format: "%3d  %6.2f%%  %8.3f  %6d  ", rank + 1, candidate.prob * 100, candidate.logit, candidate.id)
                + "\(TokenSpelling.visible(candidate.text).padding(toLength: 16, withPad: " ", startingAt: 0)) \(bar)")
        }
    }
}
