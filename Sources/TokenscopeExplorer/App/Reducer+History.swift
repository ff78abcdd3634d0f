// MARK: - Steps, undo, prompt runs

extension Reducer {
    /// Space (sample) or Enter (force the highlighted candidate). From an earlier position the step
    /// branches: the later tokens are set aside for undo, never lost. While the model is busy the
    /// step is queued and taken when it is free.
    static func step(_ state: inout AppState, force: Bool) -> [Effect] {
        if state.busy != nil || state.sampling == nil {
            guard state.history.pendingPrompt == nil else {
                state.status = "running the prompt: the step is ignored (Esc cancels the prompt)"
                return []
            }
            state.history.queuedSteps += 1
            state.status = "busy: \(state.history.queuedSteps) step\(state.history.queuedSteps == 1 ? "" : "s") queued"
            return []
        }
        guard let sampling = state.sampling else { return [] }
        let id = force && state.candidate < sampling.candidates.count ? sampling.candidates[state.candidate].id : sampling.chosenID
        return beginStep(&state, id: id)
    }

    /// Appends `id` after the selected position, setting aside what followed it.
    static func beginStep(_ state: inout AppState, id: Int) -> [Effect] {
        let from = state.selected
        let branches = from < state.tokens.count - 1
        let replaced = branches ? Array(state.tokens[(from + 1)...]) : []
        state.history.stepInFlight = (replaced, from)
        if branches {
            state.tokens.removeSubrange((from + 1)...)
            state.status = "stepped from token \(from): \(replaced.count) later token\(replaced.count == 1 ? " is" : "s are") set aside; u brings back the original"
        }
        state.busy = "decoding"
        // At the end nothing needs rewinding (a rewind would also analyse the position again).
        return (branches ? [.rewind(to: from + 1)] : []) + [.append(id: id)]
    }

    /// Records the appended token as one undo step.
    static func recordStep(_ state: inout AppState, position: Int) {
        let inFlight = state.history.stepInFlight
        state.history.stepInFlight = nil
        state.history.steps.append(.init(position: position, replaced: inFlight?.replaced ?? [], selectedBefore: inFlight?.selectedBefore ?? max(0, position - 1)))
    }

    /// Takes back the last step: its token goes, and what it set aside comes back exactly.
    static func undo(_ state: inout AppState) -> [Effect] {
        guard state.busy == nil else {
            state.status = "busy: undo is ignored until the model is free"
            return []
        }
        guard let last = state.history.steps.last, last.position == state.tokens.count - 1 else {
            // A history that no longer matches the sequence (it was cut back by a step elsewhere).
            state.history.steps.removeAll()
            state.status = "nothing generated to undo"
            return []
        }
        state.history.steps.removeLast()
        state.busy = "rewinding"
        if last.replaced.isEmpty { return [.rewind(to: last.position)] }
        state.tokens.removeSubrange(last.position...)
        state.status = "brought back \(last.replaced.count) token\(last.replaced.count == 1 ? "" : "s")"
        return [.restore(from: last.position, tokens: last.replaced, select: last.selectedBefore)]
    }

    /// A prompt run in flight: the prompt on screen changes only when it has loaded.
    static func runPrompt(_ state: inout AppState, _ text: String, chat: Bool) -> [Effect] {
        state.history.pendingPrompt = .init(text: text, chat: chat)
        state.history.queuedSteps = 0
        state.busy = "running the prompt"
        return [.reset(prompt: text, chat: chat)]
    }

    /// The prompt in flight loaded: it becomes the prompt on screen, with a fresh undo history.
    static func promptLoaded(_ state: inout AppState) {
        if let pending = state.history.pendingPrompt {
            if pending.text != state.prompt, state.promptHistory.last != state.prompt { state.promptHistory.append(state.prompt) }
            state.prompt = pending.text
            state.chat = pending.chat
        }
        state.history = SequenceHistory()
    }

    /// Model work failed: a prompt run in flight is dropped (the previous sequence stays), a step
    /// in flight is forgotten.
    static func workFailed(_ state: inout AppState, _ message: String) {
        state.history.stepInFlight = nil
        state.history.queuedSteps = 0
        if let pending = state.history.pendingPrompt {
            state.history.pendingPrompt = nil
            if pending.text != state.prompt, !state.promptHistory.contains(pending.text) { state.promptHistory.append(pending.text) }
            state.status = "refused: \(message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message); the previous prompt is kept"
        } else {
            state.status = message
        }
    }

    /// Esc while a prompt runs: the run is cancelled and the previous sequence stays.
    static func cancelPrompt(_ state: inout AppState) -> [Effect] {
        state.history.pendingPrompt = nil
        state.busy = nil
        state.status = "prompt cancelled: the previous one is kept"
        return [.cancelPrompt]
    }

    /// Once the model is free, a step queued while it was busy is taken.
    static func takeQueuedStep(_ state: inout AppState) -> [Effect] {
        guard state.busy == nil, state.history.queuedSteps > 0, let next = state.sampling?.chosenID else { return [] }
        state.history.queuedSteps -= 1
        if state.history.queuedSteps == 0, state.status.hasPrefix("busy:") { state.status = "" }
        return beginStep(&state, id: next)
    }
}
