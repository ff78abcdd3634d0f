import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTransformer

// MARK: - Keys pressed while the model works

/// The tiny real engine with each decode step held at a gate, so keys can arrive while it works.
final class SlowStepEngine: ExplorerEngine, @unchecked Sendable {
    let inner: LiveExplorerEngine
    let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var holding = false

    init() throws { inner = try TinyModel.engine() }

    /// Decode steps wait for `release()` from now on.
    func hold() { lock.lock(); holding = true; lock.unlock() }
    /// Lets every held and later step run.
    func release() {
        lock.lock(); holding = false; lock.unlock()
        for _ in 0..<16 { gate.signal() }
    }

    var summary: String { inner.summary }
    var layerCount: Int { inner.layerCount }
    var headCount: Int { inner.headCount }
    var kvHeadCount: Int { inner.kvHeadCount }
    var kvBytesPerToken: Int { inner.kvBytesPerToken }
    var contextLength: Int { inner.contextLength }
    var timings: [StepTiming] { inner.timings }
    func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool, progress: (Double) -> Void) throws -> [TokenInfo] {
        try inner.reset(prompt: prompt, chat: chat, shouldCancel: shouldCancel, progress: progress)
    }
    func append(_ id: Int) throws -> TokenInfo {
        lock.lock()
        let wait = holding
        lock.unlock()
        if wait { _ = gate.wait(timeout: .now() + 20) }
        return try inner.append(id)
    }
    func rewind(to count: Int) throws { try inner.rewind(to: count) }
    func extend(_ ids: [Int]) throws { try inner.extend(ids) }
    func analyse(position: Int) throws -> PositionAnalysis { try inner.analyse(position: position) }
    func text(of id: Int) -> String { inner.text(of: id) }
    func piece(of id: Int) -> String { inner.piece(of: id) }
    func isEnd(_ id: Int) -> Bool { inner.isEnd(id) }
    func inspect(_ request: InspectRequest) -> InspectResult { inner.inspect(request) }
}

/// Three quick spaces make three tokens (steps pressed while a step runs are queued, and the
/// footer says so); auto-play's limit counts the tokens it generated, and its status does not
/// outlive it.
@Suite("Keys while busy")
struct BusyKeysTests {
    static func wait(_ runtime: ExplorerRuntime, _ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(30)
        while !condition() {
            guard Date() < deadline else { throw SupersededRequestTests.Timeout(description: "timed out waiting for \(what)") }
            runtime.drainInbox()
            usleep(2_000)
        }
    }

    @Test func stepsPressedWhileBusyAreQueuedNotDropped() throws {
        let engine = try SlowStepEngine()
        let runtime = ExplorerRuntime(engine: engine, prompt: "The capital of France is", width: 120, height: 40, synchronous: false)
        try Self.wait(runtime, "the prompt") { !runtime.state.tokens.isEmpty && runtime.state.busy == nil }
        let count = runtime.state.tokens.count
        engine.hold()
        runtime.send(.key(.character(" ")))
        runtime.send(.key(.character(" ")))
        runtime.send(.key(.character(" ")))
        #expect(runtime.state.status.contains("2 steps queued"), "\(runtime.state.status)")
        engine.release()
        try Self.wait(runtime, "three tokens") { runtime.state.tokens.count == count + 3 && runtime.state.busy == nil }
        #expect(runtime.state.history.queuedSteps == 0)
    }

    @Test func autoPlayCountsItsOwnTokensAndClearsItsStatus() throws {
        let explorer = try HeadlessExplorer(prompt: "The capital of France is")
        explorer.press("<Space><Space>")
        let before = explorer.state.tokens.count
        explorer.press("a")
        let generated = explorer.state.tokens.count - before
        #expect(!explorer.state.autoPlay)
        #expect(generated == Reducer.autoPlayLimit || explorer.state.tokens.last?.isEnd == true
                || explorer.state.tokens.count == explorer.state.contextLength,
                "auto-play made \(generated) tokens")
        #expect(!explorer.state.status.contains("any key stops"), "\(explorer.state.status)")
        #expect(explorer.state.status.contains("auto-play stopped"), "\(explorer.state.status)")
    }
}
