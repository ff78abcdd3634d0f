import TokenscopeUI

// MARK: - Feeding prepared input

/// Actions waiting to be sent to a runtime one at a time, each only once the model is idle — so
/// launch keys and demo steps do in the live app exactly what they do in a headless replay, where
/// model work finishes before the next key.
public struct ScriptedInput: Sendable {
    /// Every action given since the queue was last empty; those before `next` are sent.
    private var queue: [Action] = []
    /// The first action not sent yet (an index, so sending one costs O(1), not a copy of the rest).
    private var next = 0

    /// An empty queue.
    public init() {}

    /// Whether actions are waiting.
    public var isEmpty: Bool { next >= queue.count }

    /// Replaces whatever is waiting with `actions`.
    public mutating func replace(with actions: [Action]) { queue = actions; next = 0 }

    /// Adds `actions` after those waiting.
    public mutating func append(_ actions: [Action]) {
        if isEmpty { cancel() }
        queue += actions
    }

    /// Drops everything waiting.
    public mutating func cancel() { queue.removeAll(); next = 0 }

    /// Whether the runtime's state is idle: no model work and no view data on its way.
    public static func isIdle(_ state: AppState) -> Bool { state.busy == nil && state.attentionView.pending.isEmpty }

    /// Sends waiting actions while the runtime is idle (a click hit-tests the screen drawn in
    /// `theme`); returns whether any was sent. A synchronous
    /// runtime is always idle after a send, so everything goes at once.
    @discardableResult
    public mutating func pump(_ runtime: ExplorerRuntime, theme: Theme) -> Bool {
        var sent = false
        while !isEmpty, Self.isIdle(runtime.state) {
            let action = queue[next]
            next += 1
            if case .click(let x, let y) = action {
                runtime.send(.click(x: x, y: y), frame: Renderer.render(runtime.state, theme: theme))
            } else {
                runtime.send(action)
            }
            sent = true
        }
        if isEmpty { cancel() }
        return sent
    }
}
