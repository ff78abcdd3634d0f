import ArgumentParser
import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

/// `tokenscope patch`: activation patching from a clean prompt into a corrupted one.
struct PatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patch",
        abstract: "Patch the clean residual stream (or each head) into a corrupted run and show how much of the answer comes back.",
        discussion: """
            The metric is logit(answer) − logit(other) at the last position (default: the clean run's \
            top-1 against the corrupted run's top-1); recovered = (patched − corrupt) / (clean − corrupt). \
            Residual patching replaces the stream entering each layer at each position (equal token \
            lengths needed); --heads replaces each head's output at the last position (any lengths). \
            Layers and heads count from 0.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "The clean prompt.") var clean: String
    @Option(name: .long, help: "The corrupted prompt.") var corrupt: String
    @Option(name: .long, help: "The answer token's text (one token); default: the clean top-1.") var answer: String?
    @Option(name: .long, help: "The other token's text (one token); default: the corrupted top-1.") var other: String?
    @Flag(name: .long, help: "Patch each head's output at the last position instead of the residual stream.") var heads = false
    @Flag(name: .long, help: "Print JSON: {metric, layers, positions (or heads), recovered: [[…]]}.") var json = false

    struct Output: Encodable {
        struct Metric: Encodable { let kind: String; let answer: String; let other: String; let clean: Double; let corrupt: Double }
        let metric: Metric
        let layers: [Int]
        let positions: [Int]?
        let heads: [Int]?
        let recovered: [[Double]]
        let seconds: Double
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let cleanIDs = model.promptTokens(clean), corruptIDs = model.promptTokens(corrupt)
        guard !cleanIDs.isEmpty, !corruptIDs.isEmpty else { throw CommandFailure("--clean and --corrupt must not be empty") }
        func single(_ text: String?, _ name: String) throws -> Int? {
            guard let text else { return nil }
            let ids = model.promptTokens(text)
            guard ids.count == 1 else { throw CommandFailure("\(name) '\(text)' is \(ids.count) tokens; give the text of one token") }
            return ids[0]
        }
        let answerID = try single(answer, "--answer"), otherID = try single(other, "--other")
        if !heads && cleanIDs.count != corruptIDs.count {
            throw CommandFailure(
                "per-position patching needs prompts of the same length: --clean is \(cleanIDs.count) tokens, --corrupt \(corruptIDs.count); use --heads to patch each head at the last position")
        }
        let start = ContinuousClock.now
        var lastShown = -1
        let showsProgress = isatty(STDERR_FILENO) != 0 || !json
        let progress: (Int, Int) -> Void = { done, total in
            let percent = done * 100 / max(1, total)
            guard showsProgress, percent != lastShown else { return }
            lastShown = percent
            FileHandle.standardError.write(Data("\rpatching: \(done)/\(total) runs (\(percent)%)".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        let result: PatchingResult
        do {
            result = heads
                ? try model.patchHeads(clean: cleanIDs, corrupt: corruptIDs, answer: answerID, other: otherID, progress: progress)
                : try model.patchResidualStream(clean: cleanIDs, corrupt: corruptIDs, answer: answerID, other: otherID, progress: progress)
        } catch { throw CommandFailure(error.description) }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let m = result.metric
        let output = Output(
            metric: .init(kind: "logit difference", answer: model.tokenizer.decode([m.answer]), other: model.tokenizer.decode([m.other]),
                          clean: m.clean, corrupt: m.corrupt),
            layers: result.layers, positions: heads ? nil : result.columns, heads: heads ? result.columns : nil,
            recovered: result.recovered, seconds: seconds)
        if json { try printJSON(output); return }
        print(String(format: "metric: logit(%@) − logit(%@): clean %.3f, corrupt %.3f · %.1f s",
                     TokenSpelling.visible(output.metric.answer), TokenSpelling.visible(output.metric.other), m.clean, m.corrupt, seconds))
        let header = heads ? result.columns.map { "H\($0)" } : result.columns.map { TokenSpelling.visible(model.tokenizer.decode([corruptIDs[$0]])) }
        print("     " + header.map { String($0.prefix(5)).padding(toLength: 6, withPad: " ", startingAt: 0) }.joined())
        for (row, layer) in result.layers.enumerated() {
            print(String(format: "L%-3d ", layer) + result.recovered[row].map { String(format: "%5.0f%%", $0 * 100) }.joined())
        }
    }
}
