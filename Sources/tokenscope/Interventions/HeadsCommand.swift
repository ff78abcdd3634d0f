import ArgumentParser
import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

/// `tokenscope heads`: every head's score on the head detectors, on the detectors' own repeated
/// random sequence or on a prompt.
struct HeadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Score every attention head as previous-token, first-token, current-token and induction head.",
        discussion: """
            A score is the head's mean attention weight on the pattern's targets, in [0, 1]; a head is \
            labelled with its best score at or above \(HeadDetector.threshold). Without --prompt the \
            sequence is \(InductionSequence.defaultLength) random tokens (ids \(InductionSequence.defaultVocabulary.lowerBound)..<\(InductionSequence.defaultVocabulary.upperBound), \
            SplitMix64 seed \(InductionSequence.defaultSeed)) repeated twice. Layers and heads count from 0.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "One detector: previous, first, current or induction (default: all).")
    var detector: HeadDetector?
    @Option(name: .long, help: "Score on this prompt instead of the repeated random sequence.")
    var prompt: String?
    @Option(name: .long, help: "Tokens in each copy of the random sequence.")
    var length: Int = InductionSequence.defaultLength
    @Option(name: .long, help: "Seed of the random sequence.")
    var seed: UInt64 = InductionSequence.defaultSeed
    @Flag(name: .long, help: "Print JSON: [{\"layer\", \"head\", \"detector\", \"score\"}].")
    var json = false

    func run() throws {
        guard length >= 2, length <= 1000 else { throw CommandFailure("--length must be in 2...1000, not \(length)") }
        let model = try modelOptions.loadModel()
        let ids = prompt.map { model.promptTokens($0) }
            ?? InductionSequence.make(length: length, seed: seed,
                                      vocabulary: InductionSequence.defaultVocabulary.clamped(to: 0..<model.configuration.vocabularySize))
        let detectors = detector.map { [$0] } ?? HeadDetector.allCases
        let scores: [HeadScore]
        do { scores = try model.detectHeads(detectors, ids: ids) } catch { throw CommandFailure(error.description) }
        if json { try printJSON(scores); return }
        let c = model.configuration
        print("\(ids.count) tokens · score = mean attention on the pattern's targets · label at ≥ \(HeadDetector.threshold)")
        for detector in detectors {
            let mine = scores.filter { $0.detector == detector }
            guard !mine.isEmpty else { print("\n\(detector.rawValue): no query to score (no repeated token)"); continue }
            print("\n\(detector.rawValue)")
            print("     " + (0..<c.headCount).map { "H\($0)".leftPadded(to: 5) }.joined())
            for layer in 0..<c.blockCount {
                let row = (0..<c.headCount).map { head in
                    mine.first { $0.layer == layer && $0.head == head }.map { String(format: "%5.2f", $0.score) } ?? "    -"
                }
                print(String(format: "L%-3d ", layer) + row.joined())
            }
            let labelled = mine.filter { $0.score >= HeadDetector.threshold }.sorted { $0.score > $1.score }
            print("≥ \(HeadDetector.threshold): " + (labelled.isEmpty ? "none" : labelled.map { String(format: "L%d.H%d %.2f", $0.layer, $0.head, $0.score) }.joined(separator: ", ")))
        }
    }
}

extension HeadDetector: ExpressibleByArgument {}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
