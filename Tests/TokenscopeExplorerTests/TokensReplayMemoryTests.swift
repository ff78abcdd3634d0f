import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTokenizers
import TokenscopeTransformer
@testable import TokenscopeExplorer

// MARK: - BPE replay of a very long word

/// A run of spaces is one pre-token, so the replay of the word under the selection can have
/// ~100 000 merges. The replay keeps the merge log (linear) and rebuilds a step when asked, so
/// time grows linearly with the word (a snapshot per merge grew with its square).
@Suite("BPE replay of long words", .enabled(if: FileManager.default.fileExists(atPath: ModelLocator.defaultModelPath()),
                                              "needs the default model in the cache (tokenscope fetch)"))
struct TokensReplayMemoryTests {
    static func seconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    @Test func replayOfARunOfSpacesIsLinearInItsLength() throws {
        let model = try TransformerModel(path: ModelLocator.defaultModelPath())
        let engine = LiveExplorerEngine(model: model)
        func replay(spaces: Int) -> (BPEReplay?, Double) {
            let ids = model.tokenizer.encode("x" + String(repeating: " ", count: spaces) + "y", parseSpecial: false)
            var result: BPEReplay?
            let time = Self.seconds { result = engine.bpeReplay(position: 1, in: ids) }
            return (result, time)
        }
        // 8× the word: linear time gives ~8× the time, quadratic ~64×; best of five runs, and a wide
        // margin for a busy machine.
        let small = (0..<5).map { _ in replay(spaces: 2_000).1 }.min() ?? 0
        let large = (0..<5).map { _ in replay(spaces: 16_000).1 }.min() ?? 0
        try #require(large < max(small, 0.002) * 24, "2 000 spaces: \(small) s, 16 000: \(large) s")

        let (long, time) = replay(spaces: 100_000)
        let run = try #require(long)
        #expect(time < 1, "100 000 spaces took \(time) s")
        #expect(run.initial.count == 99_999)  // the last space goes with "y"
        let ids = model.tokenizer.encode(String(repeating: " ", count: 99_999), parseSpecial: false)
        #expect(run.parts(after: run.stepCount) == ids.map { TokenSpelling.visible(model.tokenizer.decode([$0])) })
        #expect(run.parts(after: 0).count == 99_999 && run.parts(after: 1).count == 99_998)
        let rebuild = Self.seconds { _ = run.parts(after: run.stepCount / 2) }
        #expect(rebuild < 0.5, "rebuilding one step took \(rebuild) s")
    }
}
