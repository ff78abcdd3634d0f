import Foundation

// MARK: - Timing that a busy machine does not disturb

/// The CPU time the calling thread spends, for tests that compare how work grows with its input:
/// unlike wall-clock time it does not count the time other processes hold the cores.
public enum ThreadCPUTime {
    /// Seconds of this thread's CPU time `body` takes, the least of `runs` runs.
    public static func seconds(runs: Int = 3, _ body: () -> Void) -> Double {
        (0..<max(1, runs)).map { _ in
            let start = now()
            body()
            return now() - start
        }.min() ?? 0
    }

    /// This thread's CPU time so far, in seconds.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
