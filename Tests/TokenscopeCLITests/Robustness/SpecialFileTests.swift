import Foundation
import Testing

// MARK: - A FIFO where a model belongs

/// Opening a FIFO for reading blocks until someone writes to it: a model path that is a FIFO
/// (`--model`, `TOKENSCOPE_MODEL`, `--compare`) is refused as "not a regular file" before anything
/// opens it, at once.
@Suite("FIFOs as model files", .enabled(if: CachedModel.isReady, "needs the built binary and the cached model (tokenscope fetch)"))
struct SpecialFileTests {
    @Test func aFIFOIsRefusedAtOnceWhereverAModelIsNamed() throws {
        let folder = try CachedModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/model.gguf"
        #expect(mkfifo(fifo, 0o600) == 0)
        let cases: [(arguments: [String], environment: [String: String])] = [
            (["predict", "--model", fifo, "Hi"], [:]),
            (["tokenize", "--model", fifo, "Hi"], [:]),
            (["inspect", "--model", fifo], [:]),
            (["predict", "Hi"], ["TOKENSCOPE_MODEL": fifo]),
            (["render", "--compare", fifo, "Hi"], [:]),
            (["explore", "--compare", fifo, "Hi"], [:]),
        ]
        for (arguments, environment) in cases {
            let start = ContinuousClock.now
            let run = try CachedModel.run(arguments, seconds: 20, environment: environment)
            let elapsed = ContinuousClock.now - start
            #expect(run.status != 0 && run.status != 124, "\(arguments) \(environment): status \(run.status) (124: it hung)")
            #expect(run.stderr.contains("not a regular file"), "\(arguments): \(run.stderr.suffix(300))")
            #expect(run.stderr.contains(fifo), "\(arguments): \(run.stderr.suffix(300))")
            #expect(elapsed < .seconds(10), "\(arguments) took \(elapsed)")
        }
    }
}
