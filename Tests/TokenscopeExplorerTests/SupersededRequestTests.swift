import Foundation
import Testing
import TokenscopeTransformer
@testable import TokenscopeExplorer
import TokenscopeTestSupport

// MARK: - Layer requests pressed faster than they compute

/// The tiny real engine, with one attention request held at a gate and every request recorded, so
/// a test can queue work behind a running request as a fast key repeat does on a long sequence.
final class GatedEngine: ExplorerEngine, @unchecked Sendable {
    let inner: LiveExplorerEngine
    let gate = DispatchSemaphore(value: 0)
    /// Signalled when the held request reaches the gate.
    let arrived = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var holdNext = false
    private var computed: [InspectRequest] = []

    init() throws { inner = try TinyModel.engine() }

    /// The next layer request waits until `release()`.
    func holdNextLayer() {
        lock.lock()
        holdNext = true
        lock.unlock()
    }

    func release() { gate.signal() }

    /// The requests computed so far, in order.
    var computedRequests: [InspectRequest] {
        lock.lock()
        defer { lock.unlock() }
        return computed
    }

    var summary: String { inner.summary }
    var layerCount: Int { inner.layerCount }
    var headCount: Int { inner.headCount }
    var kvHeadCount: Int { inner.kvHeadCount }
    var kvBytesPerToken: Int { inner.kvBytesPerToken }
    var timings: [StepTiming] { inner.timings }
    func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool, progress: (Double) -> Void) throws -> [TokenInfo] {
        try inner.reset(prompt: prompt, chat: chat, shouldCancel: shouldCancel, progress: progress)
    }
    func append(_ id: Int) throws -> TokenInfo { try inner.append(id) }
    func rewind(to count: Int) throws { try inner.rewind(to: count) }
    func analyse(position: Int) throws -> PositionAnalysis { try inner.analyse(position: position) }
    func text(of id: Int) -> String { inner.text(of: id) }
    func piece(of id: Int) -> String { inner.piece(of: id) }
    func isEnd(_ id: Int) -> Bool { inner.isEnd(id) }

    func inspect(_ request: InspectRequest) -> InspectResult {
        var hold = false
        if case .layer = request {
            lock.lock()
            hold = holdNext
            holdNext = false
            lock.unlock()
        }
        if hold {
            arrived.signal()
            gate.wait()
        }
        lock.lock()
        computed.append(request)
        lock.unlock()
        return inner.inspect(request)
    }
}

@Suite("Runtime: superseded layer requests")
struct SupersededRequestTests {
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    /// Drains the inbox until `condition` holds (the worker runs on its own queue).
    static func wait(_ runtime: ExplorerRuntime, _ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while !condition() {
            guard Date() < deadline else { throw Timeout(description: "timed out waiting for \(what)") }
            runtime.drainInbox()
            usleep(2_000)
        }
    }

    /// Whether the prompt has run and no work is outstanding.
    static func isIdle(_ runtime: ExplorerRuntime) -> Bool {
        let state = runtime.state
        return !state.tokens.isEmpty && state.busy == nil
    }

    /// Whether the attention view holds `layer`'s data (scores or probabilities).
    static func shows(_ runtime: ExplorerRuntime, layer: Int, scores: Bool) -> Bool {
        guard let data = runtime.state.attentionView.layerData else { return false }
        return data.layer == layer && data.isScores == scores
    }

    /// The layer requests computed, as "0" (probabilities) or "0s" (scores).
    static func layers(_ engine: GatedEngine) -> [String] {
        var out: [String] = []
        for request in engine.computedRequests {
            if case .layer(let layer, let scores) = request { out.append(scores ? "\(layer)s" : "\(layer)") }
        }
        return out
    }

    @Test func onlyTheLayerTheUserStopsAtIsComputed() throws {
        let engine = try GatedEngine()
        let runtime = ExplorerRuntime(engine: engine, prompt: "The capital of France is", width: 120, height: 40, synchronous: false)
        try Self.wait(runtime, "the prompt") { Self.isIdle(runtime) }
        engine.holdNextLayer()
        runtime.send(.key(.character("3")))  // layer 1 (of 2): held at the gate while the keys below arrive
        // The worker is now inside the first layer request.
        #expect(engine.arrived.wait(timeout: .now() + 20) == .success)
        runtime.send(.key(.down))  // layer 2
        runtime.send(.key(.character("s")))  // layer 2, scores
        runtime.send(.key(.up))  // layer 1, scores: where the user stops
        let stoppedAt: Int = runtime.state.layer
        #expect(stoppedAt == 0)
        #expect(runtime.state.attentionView.scores)
        engine.release()
        try Self.wait(runtime, "the last layer's data") { Self.shows(runtime, layer: 0, scores: true) }
        let expected: [String] = ["0", "0s"]
        #expect(Self.layers(engine) == expected, "layers passed on the way are skipped")
        #expect(runtime.state.attentionView.pending.isEmpty)
        // Going to a layer that was skipped on the way still loads it.
        runtime.send(.key(.down))
        try Self.wait(runtime, "layer 2's scores") { Self.shows(runtime, layer: 1, scores: true) }
        #expect(Self.layers(engine) == ["0", "0s", "1s"])
    }
}
