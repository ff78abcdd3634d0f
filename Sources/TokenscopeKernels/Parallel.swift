import Foundation

// MARK: - Parallel loops

/// Spreads independent work items over the cores, on a persistent pool of worker threads.
public enum Parallel {
    nonisolated(unsafe) private static var configuredThreads = 0
    private static let cores = ProcessInfo.processInfo.activeProcessorCount
    /// The pool, started on first use with `threadCount` threads.
    nonisolated(unsafe) private static var pool: WorkerPool?
    private static let poolLock = NSLock()

    /// Worker threads to use (default: every active core). Set once at start-up, before any work;
    /// afterwards only 1 (serial) versus more than 1 (the pool as started) makes a difference.
    public static var threadCount: Int {
        get { configuredThreads > 0 ? configuredThreads : cores }
        set { configuredThreads = max(1, newValue) }
    }

    /// Calls `body(i)` for every i in 0..<count, spread over `threadCount` threads. Items are taken
    /// dynamically, so they should be of similar size and each worth at least a few microseconds.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if threadCount <= 1 || count <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        sharedPool().run(count, body)
    }

    private static func sharedPool() -> WorkerPool {
        poolLock.lock()
        defer { poolLock.unlock() }
        if let pool { return pool }
        let created = WorkerPool(threads: threadCount)
        pool = created
        return created
    }
}
