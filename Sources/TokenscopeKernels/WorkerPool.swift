import Foundation
import Synchronization

// MARK: - A persistent pool of worker threads

/// Worker threads that stay alive between jobs, so a decode step's ~150 matrix products do not pay
/// a thread wake-up each (what `DispatchQueue.concurrentPerform` costs per call).
///
/// A job is `count` independent items; the caller and every worker take items from a shared atomic
/// counter until none are left, so a core slowed by another process simply takes fewer items.
/// Workers spin briefly after a job (the next product of the same step follows within
/// microseconds), then sleep on a semaphore. One job runs at a time: a call made while a job is
/// running (from another thread, or nested inside an item) runs its items on the calling thread.
final class WorkerPool: @unchecked Sendable {
    /// Threads besides the caller.
    let workerCount: Int
    /// Bumped to publish a job; workers wait for it to change.
    private let generation = Atomic<Int>(0)
    /// Index of the next item to take.
    private let nextItem = Atomic<Int>(0)
    /// Workers that have not finished the current job.
    private let pending = Atomic<Int>(0)
    /// Workers asleep (or about to sleep) on `wake`.
    private let sleepers = Atomic<Int>(0)
    /// Whether a job is running; a second caller runs serially instead.
    private let busy = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// The current job; written before `generation` is bumped, read after it is seen.
    private var body: ((Int) -> Void)?
    private var itemCount = 0
    /// Spin iterations before a waiting thread sleeps (tens of microseconds).
    private let spinLimit = 20_000

    /// Starts `threads - 1` workers (the caller is the last participant).
    init(threads: Int) {
        workerCount = max(0, threads - 1)
        for index in 0..<workerCount {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.name = "tokenscope-worker-\(index)"
            thread.start()
        }
    }

    /// Calls `body(i)` for every i in 0..<count, on the caller and the workers; returns when all are done.
    func run(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, workerCount > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            self.body = escaping
            itemCount = count
            nextItem.store(0, ordering: .relaxed)
            pending.store(workerCount, ordering: .relaxed)
            // Sequentially consistent, paired with the workers' sleep check: either a worker sees
            // the new generation, or this load sees it counted as a sleeper and wakes it.
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            let sleeping = sleepers.load(ordering: .sequentiallyConsistent)
            for _ in 0..<min(sleeping, workerCount) { wake.signal() }
            takeItems()
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > spinLimit { sched_yield() }
            }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Runs items of the current job until the counter passes the end.
    private func takeItems() {
        guard let body else { return }
        let count = itemCount
        while true {
            let i = nextItem.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            body(i)
        }
    }

    private func workerLoop() {
        // Workers start in `init`, before any job: generation 0 means "no job yet" even if this
        // thread starts only after the first job was published.
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < spinLimit { continue }
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                spins = 0
            }
            seen = generation.load(ordering: .acquiring)
            takeItems()
            pending.wrappingSubtract(1, ordering: .releasing)
        }
    }
}
