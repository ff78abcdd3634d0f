import Foundation
import TokenscopeTransformer
import TokenscopeUI

// MARK: - How long a lesson step takes outside the model

/// Times what a learner waits for when a lesson opens and at each next step, split into the
/// engine's model calls and everything else (reading the lesson files, the reducer, the step's
/// keys, filling in live values and drawing the frame). The model work depends on what a step
/// asks (a new prompt, an attention layer); the rest is what the lesson machinery costs.
public enum LessonTimer {
    /// One step's timing.
    public struct Step: Sendable, Equatable {
        /// The step's number (from 1) and title.
        public let number: Int
        public let title: String
        /// Wall time from the key (or the open) to the frame drawn, and the part spent in model calls.
        public let totalMilliseconds: Double
        public let modelMilliseconds: Double
        /// The rest: lesson machinery and drawing.
        public var outsideMilliseconds: Double { max(0, totalMilliseconds - modelMilliseconds) }
        /// The CPU time of the explorer's thread outside model calls: the same work as
        /// `outsideMilliseconds`, without the waits for a core other processes hold.
        public let outsideCPUMilliseconds: Double
    }

    /// Opens `lesson` on `engine` in a synchronous explorer of `width` × `height` (the shipped lessons
    /// and the glossary read from their files, as `learn NAME` does), then moves to each next step
    /// with `}` as the learner does, and times each.
    public static func measure(_ lesson: Lesson, engine: any ExplorerEngine, width: Int = 120, height: Int = 40) -> [Step] {
        let metered = MeteredEngine(engine)
        let runtime = ExplorerRuntime(engine: metered, prompt: lesson.steps.first?.setup.prompt ?? "", width: width, height: height, synchronous: true)
        var steps: [Step] = []
        for index in lesson.steps.indices {
            if index > 0, runtime.state.teaching.guessField != nil { runtime.send(.key(.escape)) }
            metered.reset()
            let start = DispatchTime.now().uptimeNanoseconds
            let startCPU = threadCPUNanoseconds()
            if index == 0 {
                let lessons = (try? LessonLibrary.shipped()) ?? []
                let glossary = try? Glossary.shipped()
                runtime.send(.teaching(.catalogue(lessons, progress: [:], tokenIDs: [:], glossary: glossary)))
                runtime.send(.teaching(.open(lesson, step: 0)))
            } else {
                runtime.send(.key(.character("}")))
            }
            _ = Renderer.render(runtime.state, theme: .dark)
            let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let cpu = Double(threadCPUNanoseconds() - startCPU) / 1e6
            steps.append(Step(number: index + 1, title: lesson.steps[index].title, totalMilliseconds: total, modelMilliseconds: metered.milliseconds,
                              outsideCPUMilliseconds: max(0, cpu - metered.cpuMilliseconds)))
        }
        return steps
    }
}

/// CPU time the calling thread has used, in nanoseconds.
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

// MARK: - An engine that keeps time

/// Passes every call to another engine and adds up the wall time spent in the calls that do model
/// work (prompt runs, steps, analyses, view data), so the rest of a step can be timed apart.
public final class MeteredEngine: ExplorerEngine, @unchecked Sendable {
    private let base: any ExplorerEngine
    private let lock = NSLock()
    private var nanoseconds: UInt64 = 0  // guarded by `lock`
    private var cpuNanoseconds: UInt64 = 0  // guarded by `lock`: the calling thread's CPU time in calls

    /// An engine timing the calls it passes to `base`.
    public init(_ base: any ExplorerEngine) { self.base = base }

    /// Milliseconds spent in model calls since the last `reset()`.
    public var milliseconds: Double {
        lock.lock()
        defer { lock.unlock() }
        return Double(nanoseconds) / 1e6
    }

    /// CPU milliseconds the calling threads spent in model calls since the last `reset()` (the
    /// work the calls hand to the kernels' worker threads is not counted).
    public var cpuMilliseconds: Double {
        lock.lock()
        defer { lock.unlock() }
        return Double(cpuNanoseconds) / 1e6
    }

    /// Starts counting from zero.
    public func reset() {
        lock.lock()
        nanoseconds = 0
        cpuNanoseconds = 0
        lock.unlock()
    }

    private func timed<T>(_ work: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let startCPU = threadCPUNanoseconds()
        defer {
            let spent = DispatchTime.now().uptimeNanoseconds - start
            let spentCPU = threadCPUNanoseconds() - startCPU
            lock.lock()
            nanoseconds += spent
            cpuNanoseconds += spentCPU
            lock.unlock()
        }
        return try work()
    }

    public var summary: String { base.summary }
    public var tokenizerSummary: String { base.tokenizerSummary }
    public var layerCount: Int { base.layerCount }
    public var headCount: Int { base.headCount }
    public var kvHeadCount: Int { base.kvHeadCount }
    public var kvBytesPerToken: Int { base.kvBytesPerToken }
    public var contextLength: Int { base.contextLength }
    public var timings: [StepTiming] { base.timings }

    public func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool, progress: (Double) -> Void) throws -> [TokenInfo] {
        try timed { try base.reset(prompt: prompt, chat: chat, shouldCancel: shouldCancel, progress: progress) }
    }
    public func append(_ id: Int) throws -> TokenInfo { try timed { try base.append(id) } }
    public func rewind(to count: Int) throws { try timed { try base.rewind(to: count) } }
    public func extend(_ ids: [Int]) throws { try timed { try base.extend(ids) } }
    public func analyse(position: Int) throws -> PositionAnalysis { try timed { try base.analyse(position: position) } }
    public func text(of id: Int) -> String { base.text(of: id) }
    public func piece(of id: Int) -> String { base.piece(of: id) }
    public func isEnd(_ id: Int) -> Bool { base.isEnd(id) }
    public func inspect(_ request: InspectRequest) -> InspectResult { timed { base.inspect(request) } }
}
