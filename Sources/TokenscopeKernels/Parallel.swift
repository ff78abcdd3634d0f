import Dispatch
import Foundation

// MARK: - Parallel loops

/// Spreads independent work items over the cores.
public enum Parallel {
    nonisolated(unsafe) private static var configuredThreads = 0
    private static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Worker threads to use (default: every active core). Set once at start-up, before any work.
    public static var threadCount: Int {
        get { configuredThreads > 0 ? configuredThreads : cores }
        set { configuredThreads = max(1, newValue) }
    }

    /// Calls `body(i)` for every i in 0..<count, spread over `threadCount` threads in contiguous chunks.
    public static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        let threads = min(threadCount, count)
        if threads <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let begin = count * worker / threads, end = count * (worker + 1) / threads
            for i in begin..<end { body(i) }
        }
    }
}
