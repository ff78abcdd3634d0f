import Foundation
import TokenscopeTransformer
import TokenscopeUI

// MARK: - The runtime

/// Owns the state, runs the reducer, and carries out its effects on the model: inline for headless
/// runs and tests, on a worker thread for the terminal (results come back as actions in an inbox the
/// main loop drains, so input, resizes and quit stay responsive while the model works).
public final class ExplorerRuntime: @unchecked Sendable {
    /// The current state; read and changed on the main thread only.
    public private(set) var state: AppState
    /// The model; replaced (on the worker thread) when the model picker switches models.
    private(set) var engine: any ExplorerEngine
    /// Lists the models the picker offers (nil: the picker shows none).
    public var modelCatalog: (@Sendable () -> [CatalogEntry])?
    /// Loads the model at a path as an engine, for the picker (nil: switching is refused).
    public var engineLoader: (@Sendable (String) throws -> any ExplorerEngine)?
    /// Loads the model of the other kind for the attention view's comparison (`d`): an encoder
    /// when `true` is asked (a decoder is on screen), else a decoder. Nil: the comparison says there
    /// is none.
    public var crossModelLoader: (@Sendable (_ encoder: Bool) throws -> any ExplorerEngine)?
    /// The other kind of model, once loaded (worker queue only).
    private var crossModel: CrossModelRunner?
    let synchronous: Bool
    private let queue = DispatchQueue(label: "tokenscope.model", qos: .userInitiated)
    private let lock = NSLock()
    private var inbox: [Action] = []
    /// Counts prompt runs issued; queued work from an earlier epoch is skipped (guarded by `lock`).
    private var epoch = 0
    /// Counts layer requests issued; a queued one that is not the newest is skipped when its turn
    /// comes, so holding ↓ on a long sequence computes the layer the user stops at, not every layer
    /// passed on the way (guarded by `lock`).
    private var layerGeneration = 0
    /// Counts cancellations of long view requests (Esc in the Why view); a long request issued
    /// before the newest cancellation stops (guarded by `lock`).
    private var inspectionEpoch = 0

    /// A runtime over `engine`; `synchronous` runs model work inline.
    public init(engine: any ExplorerEngine, prompt: String, width: Int, height: Int, synchronous: Bool) {
        var state = AppState(prompt: prompt, width: width, height: height)
        state.adopt(EngineFacts(engine))
        state.busy = "running the prompt"
        self.state = state
        self.engine = engine
        self.synchronous = synchronous
        run([.reset(prompt: prompt, chat: false)])
    }

    /// Applies an action and starts the work it calls for.
    public func send(_ action: Action) {
        run(Reducer.reduce(&state, action))
    }

    /// Applies every action the worker has posted; returns whether there were any.
    @discardableResult
    public func drainInbox() -> Bool {
        lock.lock()
        let actions = inbox
        inbox.removeAll()
        lock.unlock()
        for action in actions { send(action) }
        return !actions.isEmpty
    }

    /// Applies input from a terminal that shows `frame`: a click on a cell where the frame drew a
    /// token (a chip, a heatmap row, …) selects that token — hit-testing what is on screen rather
    /// than re-deriving each view's layout.
    public func send(_ event: InputEvent, frame: Canvas?) {
        if case .click(let x, let y) = event, let target = frame?.target(atX: x, y: y) {
            switch target {
            case .token(let index): send(.clickToken(index))
            case .tab(let index): send(.clickTab(index))
            }
        } else {
            send(Action(event))
        }
    }

    /// Whether model work is queued or running.
    public var isBusy: Bool { state.busy != nil }

    private func run(_ requested: [Effect]) {
        if requested.contains(.cancelInspection) {
            lock.lock()
            inspectionEpoch += 1
            lock.unlock()
        }
        let effects = requested.filter { $0 != .cancelPrompt && $0 != .cancelInspection }
        if effects.count < requested.count {
            // Work issued before is stale from now on: a running prefill stops between blocks.
            if !synchronous {
                lock.lock()
                epoch += 1
                lock.unlock()
            }
        }
        guard !effects.isEmpty else { return }
        if synchronous {
            for effect in effects { send(execute(effect, isStale: { false }, isCancelled: { false })) }
            return
        }
        // A new prompt run cancels the work still queued for the old sequence: each batch carries
        // the epoch it was issued in and skips its effects once a later reset has been issued.
        lock.lock()
        // Switching models makes everything queued for the old model stale, like a new prompt.
        if effects.contains(where: {
            switch $0 {
            case .reset, .switchModel: true
            default: false
            }
        }) { epoch += 1 }
        let issued = epoch, issuedInspection = inspectionEpoch
        var generations: [Int?] = []  // (effects): the layer generation of each layer request
        for effect in effects {
            if case .inspect(.layer) = effect {
                layerGeneration += 1
                generations.append(layerGeneration)
            } else {
                generations.append(nil)
            }
        }
        lock.unlock()
        let layerGenerations = generations
        queue.async { [self] in
            let isStale = { [self] () -> Bool in
                lock.lock()
                defer { lock.unlock() }
                return epoch != issued
            }
            let isCancelled = { [self] () -> Bool in
                lock.lock()
                defer { lock.unlock() }
                return epoch != issued || inspectionEpoch != issuedInspection
            }
            for (effect, generation) in zip(effects, layerGenerations) {
                if isStale() && !effect.outlivesPrompt { continue }
                if let generation, case .inspect(let request) = effect {
                    lock.lock()
                    let superseded = generation != layerGeneration
                    if superseded { inbox.append(.superseded(request)) }
                    lock.unlock()
                    if superseded { continue }
                }
                // A prefill running when a newer prompt is issued stops between blocks; its outcome
                // (a cancellation) is dropped with the rest of the stale batch.
                let action = execute(effect, isStale: isStale, isCancelled: isCancelled)
                if isStale() && !effect.outlivesPrompt { continue }
                lock.lock()
                inbox.append(action)
                lock.unlock()
            }
        }
    }

    /// Runs `request` on the other kind of model, loading it first when the one kept is of the
    /// wrong kind (the model on screen was switched) or none is loaded yet.
    private func crossModelAnswer(_ request: CrossModelRequest) -> CrossModelResult {
        let wantsEncoder = !((engine as? any RetrievalEngine)?.isEncoder ?? false)
        if crossModel?.isEncoder != wantsEncoder {
            guard let crossModelLoader else { return .failed(request, "this explorer has no model of the other kind to put beside it") }
            do {
                crossModel = CrossModelRunner(engine: try crossModelLoader(wantsEncoder), isEncoder: wantsEncoder)
            } catch {
                return .failed(request, "no \(wantsEncoder ? "encoder" : "decoder") to put beside it: \(error)")
            }
        }
        guard let crossModel else { return .failed(request, "no model of the other kind is loaded") }
        return crossModel.answer(request)
    }

    /// Does one piece of model work and describes the outcome as an action.
    private func execute(_ effect: Effect, isStale: () -> Bool, isCancelled: () -> Bool) -> Action {
        do {
            switch effect {
            case .reset(let prompt, let chat):
                // Progress goes straight to the inbox in steps of 5%, so the footer moves during a long prefill.
                var reported = -1
                let progress = { [self] (fraction: Double) in
                    let step = Int(fraction * 20)
                    guard !synchronous, step != reported else { return }
                    reported = step
                    lock.lock()
                    inbox.append(.progress(fraction))
                    lock.unlock()
                }
                return .loaded(try engine.reset(prompt: prompt, chat: chat, shouldCancel: isStale, progress: progress), timings: engine.timings)
            case .append(let id):
                return .appended(try engine.append(id), timings: engine.timings)
            case .rewind(let count):
                try engine.rewind(to: count)
                return .rewound(count: count, timings: engine.timings)
            case .restore(let from, let tokens, let select):
                try engine.rewind(to: from)
                try engine.extend(tokens.map(\.id))
                return .restored(tokens: tokens, from: from, select: select, timings: engine.timings)
            case .cancelPrompt, .cancelInspection:
                return .failed("cancelled")
            case .analyse(let position):
                return .analysed(try engine.analyse(position: position))
            case .inspect(let request) where request.isLong:
                // Progress in steps of 1%, straight to the inbox; Esc (a later cancellation) stops it.
                var reported = -1
                let progress = { [self] (fraction: Double) in
                    let step = Int(fraction * 100)
                    guard !synchronous, step != reported else { return }
                    reported = step
                    lock.lock()
                    inbox.append(.working(request, fraction))
                    lock.unlock()
                }
                return .inspected(engine.inspect(request, progress: progress, shouldCancel: isCancelled))
            case .inspect(let request):
                return .inspected(engine.inspect(request))
            case .listModels:
                return .modelsListed(modelCatalog?() ?? [], current: engine.modelPath)
            case .switchModel(let path):
                guard let engineLoader else { return .failed("this explorer cannot switch models") }
                // The old engine stays until the new one has loaded: a refused model changes nothing.
                let loaded = try engineLoader(path)
                engine = loaded
                return .modelSwitched(EngineFacts(loaded))
            case .retrieve(let request):
                guard let retrieval = engine as? any RetrievalEngine else {
                    return .retrieved(.failed(request, "this engine has no sentence encoder"))
                }
                // Progress goes to the inbox at most every 0.2 s, so the view follows long indexing.
                var last = ContinuousClock.now - .seconds(1)
                let progress = { [self] (line: String) in
                    let now = ContinuousClock.now
                    guard !synchronous, now - last >= .milliseconds(200) else { return }
                    last = now
                    lock.lock()
                    inbox.append(.retrievalProgress(line))
                    lock.unlock()
                }
                return .retrieved(retrieval.retrieve(request, progress: progress))
            case .crossModel(let request):
                return .crossModelAnswered(crossModelAnswer(request))
            }
        } catch {
            return .failed("error: \(error)")
        }
    }
}
