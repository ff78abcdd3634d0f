import Foundation
import Synchronization
import Testing
import TokenscopeKernels

/// The worker pool: every item runs exactly once, also from concurrent callers and nested calls.
@Suite struct ParallelTests {
    final class Counts: Sendable {
        let slots: Mutex<[Int]>
        init(_ count: Int) { slots = Mutex(Array(repeating: 0, count: count)) }
        func hit(_ i: Int) { slots.withLock { $0[i] += 1 } }
        var values: [Int] { slots.withLock { $0 } }
    }

    @Test func everyItemRunsExactlyOnceAcrossManyJobs() {
        for count in [0, 1, 2, 3, 17, 1000] {
            for _ in 0..<50 {
                let counts = Counts(count)
                Parallel.forEach(count) { counts.hit($0) }
                #expect(counts.values == Array(repeating: 1, count: count), "count \(count)")
            }
        }
    }

    @Test func concurrentAndNestedCallersDoNotLoseItems() async {
        let counts = Counts(64 * 8)
        await withTaskGroup(of: Void.self) { group in
            for caller in 0..<4 {
                group.addTask {
                    for round in 0..<20 {
                        Parallel.forEach(8) { outer in
                            // A nested call runs on the calling thread.
                            Parallel.forEach(8) { inner in
                                if round == 0 { counts.hit((caller * 8 + outer) * 8 + inner) }
                            }
                        }
                    }
                }
            }
        }
        #expect(counts.values.prefix(4 * 64) == ArraySlice(Array(repeating: 1, count: 4 * 64)))
    }
}
