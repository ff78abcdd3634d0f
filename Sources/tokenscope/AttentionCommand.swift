import ArgumentParser
import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

/// `tokenscope attention`: one head's attention matrix over a prompt.
struct AttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attention", abstract: "Print one head's attention matrix.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The prompt.") var prompt: String
    @Option(name: .long, help: "Layer (block), from 0.") var layer: Int
    @Option(name: .long, help: "Query head, from 0.") var head: Int
    @Flag(name: .long, help: "Pre-softmax scores instead of probabilities.") var scores = false
    @Flag(name: .long, help: "Print JSON: {\"layer\", \"head\", \"kv_head\", \"ids\", \"tokens\", \"matrix\"}.") var json = false

    struct Output: Encodable {
        let layer: Int
        let head: Int
        let kv_head: Int
        let ids: [Int]
        let tokens: [String]
        let matrix: [[Float]]
    }

    func validate() throws {
        guard layer >= 0 else { throw ValidationError("--layer counts from 0") }
        guard head >= 0 else { throw ValidationError("--head counts from 0") }
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let c = model.configuration
        guard layer >= 0, layer < c.blockCount else {
            throw CommandFailure("--layer \(layer) is out of range: this model has layers 0...\(c.blockCount - 1)")
        }
        guard head >= 0, head < c.headCount else {
            throw CommandFailure("--head \(head) is out of range: this model has heads 0...\(c.headCount - 1)")
        }
        let ids = model.promptTokens(prompt)
        let session = InferenceSession(model: model, options: TraceOptions(level: .full, recordsScores: scores))
        let matrix: AttentionMatrix
        do {
            try session.append(ids)
            matrix = try session.attentionMatrix(layer: layer, head: head, scores: scores)
        } catch { throw CommandFailure(error.description) }
        let rows = (0..<matrix.count).map { q in (0...q).map { matrix.value(query: q, key: $0) } }
        let texts = ids.map { model.tokenizer.decode([$0]) }
        if json {
            try printJSON(Output(layer: layer, head: head, kv_head: c.kvHead(forQueryHead: head), ids: ids, tokens: texts, matrix: rows))
            return
        }
        print("layer \(layer), head \(head) (reads KV head \(c.kvHead(forQueryHead: head)) of \(c.kvHeadCount)); rows are queries, columns keys")
        let labels = texts.map { String(TokenSpelling.visible($0).prefix(10)).padding(toLength: 10, withPad: " ", startingAt: 0) }
        for (q, row) in rows.enumerated() {
            let cells = row.map { String(format: scores ? "%6.2f" : "%5.2f", $0) }.joined(separator: " ")
            print("\(labels[q]) \(cells)")
        }
    }
}
