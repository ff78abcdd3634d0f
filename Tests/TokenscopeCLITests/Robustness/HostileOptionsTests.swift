import Foundation
import Testing

// MARK: - Numeric options at their extremes

/// Huge, infinite and not-a-number options are capped or refused with a range error, never a
/// crash: candidate counts are capped at the vocabulary, times and counts outside their range are
/// usage errors (exit status 64) that name the option.
@Suite("Hostile numeric options", .enabled(if: CachedModel.isReady, "needs the built binary and the cached model (tokenscope fetch)"))
struct HostileOptionsTests {
    @Test(arguments: [["predict", "Hi", "--top"], ["neighbors", "king", "--k"], ["analogy", "king", "man", "woman", "-k"]])
    func candidateCountsAreCappedAtTheVocabulary(command: [String]) throws {
        for value in ["9223372036854775807", "100000000000"] {
            let run = try CachedModel.run(command + [value, "--json"], seconds: 120)
            #expect(run.status == 0, "\(command) \(value): status \(run.status): \(run.stderr.suffix(300))")
            #expect(run.stderr.contains("more than the vocabulary (49152 tokens)"), "\(run.stderr.suffix(300))")
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Backtrace"))
            let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
            let listed = command[0] == "predict" ? ((json as? [String: Any])?["top"] as? [Any])?.count : (json as? [Any])?.count
            #expect((listed ?? 0) >= 49_000 && (listed ?? 0) <= 49_152, "\(listed ?? -1) listed")
        }
    }

    @Test(arguments: ["inf", "nan", "1e300", "-1", "0"])
    func benchSecondsOutsideItsRangeIsAUsageError(value: String) throws {
        let run = try CachedModel.run(["bench", "tokenizer", "--seconds", value], seconds: 30)
        #expect(run.status == 64, "status \(run.status): \(run.stderr.suffix(300))")
        #expect(run.stderr.contains("--seconds"), "\(run.stderr)")
    }

    @Test(arguments: [["bench", "model", "--threads", "100000000000"], ["bench", "model", "--decode-tokens", "9223372036854775807"],
                      ["bench", "ui", "--repeats", "-5"], ["render", "--size", "99999x2"], ["attention", "Hi", "--layer", "-1", "--head", "0"],
                      ["predict", "Hi", "--top", "0"], ["render", "--view", "nope"]])
    func outOfRangeOptionsAreUsageErrors(arguments: [String]) throws {
        let run = try CachedModel.run(arguments, seconds: 30)
        #expect(run.status == 64, "\(arguments): status \(run.status): \(run.stderr.suffix(300))")
    }
}
