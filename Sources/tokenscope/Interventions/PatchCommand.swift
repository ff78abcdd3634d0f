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
            Layers and heads count from 0. Progress goes to stderr when it is a terminal (or with \
            --progress); Ctrl-C stops between runs with a message and exit status 130.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "The clean prompt.") var clean: String
    @Option(name: .long, help: "The corrupted prompt.") var corrupt: String
    @Option(name: .long, help: "The answer token's text (one token); default: the clean top-1.") var answer: String?
    @Option(name: .long, help: "The other token's text (one token); default: the corrupted top-1.") var other: String?
    @Flag(name: .long, help: "Patch each head's output at the last position instead of the residual stream.") var heads = false
    @Flag(name: .long, help: "Print JSON: {metric, layers, positions (or heads), recovered: [[…]]}.") var json = false
    @Flag(name: .long, help: "Show progress on stderr even when it is not a terminal.") var progress = false

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
        func seconds() -> Double {
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        var lastShown = -1
        let c = model.configuration
        var runs = (done: 0, total: heads ? c.blockCount * c.headCount : c.blockCount * cleanIDs.count)
        let showsProgress = progress || isatty(STDERR_FILENO) != 0
        let terminal = isatty(STDERR_FILENO) != 0
        let report: (Int, Int) -> Void = { done, total in
            runs = (done, total)
            let percent = done * 100 / max(1, total)
            guard showsProgress, percent != lastShown else { return }
            lastShown = percent
            let left = done > 0 ? seconds() / Double(done) * Double(total - done) : 0
            let line = String(format: "patching: %d/%d runs (%d%%), %.0f s, about %.0f s left · Ctrl-C stops", done, total, percent, seconds(), left)
            // A terminal gets one line redrawn in place; a file or pipe one line per percent.
            FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
            if terminal && done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        let interrupt = InterruptWatch()
        defer { interrupt.stop() }
        let result: PatchingResult
        do {
            result = heads
                ? try model.patchHeads(clean: cleanIDs, corrupt: corruptIDs, answer: answerID, other: otherID, progress: report,
                                       shouldCancel: { interrupt.isInterrupted })
                : try model.patchResidualStream(clean: cleanIDs, corrupt: corruptIDs, answer: answerID, other: otherID, progress: report,
                                                shouldCancel: { interrupt.isInterrupted })
        } catch .cancelled {
            if terminal && lastShown >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
            FileHandle.standardError.write(Data(String(format: "patching stopped by Ctrl-C after %d of %d runs (%.1f s); nothing printed\n",
                                                       runs.done, runs.total, seconds()).utf8))
            throw ExitCode(InterruptWatch.exitStatus)
        } catch { throw CommandFailure(error.description) }
        let seconds = seconds()
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
