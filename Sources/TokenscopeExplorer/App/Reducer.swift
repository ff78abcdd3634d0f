import TokenscopeTransformer
import TokenscopeUI

// MARK: - The reducer

/// Applies an action to the state and returns the model work it calls for. Pure: no I/O.
public enum Reducer {
    /// Most tokens auto-play appends.
    public static let autoPlayLimit = 256

    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        var effects = reduceAction(&state, action)
        effects += setupFollowUp(&state, after: action)
        effects += viewDataEffects(&state)
        effects += secondPromptEffects(&state, after: action, effects)
        effects += retrievalEffects(&state)
        effects += crossModelEffects(&state)
        // A lesson step's keys are pressed one by one, each once the work of the one before is done.
        while effects.isEmpty, state.busy == nil, !state.teaching.pendingKeys.isEmpty {
            effects = pressStepKey(&state)
            effects += secondPromptEffects(&state, after: nil, effects)
        }
        return effects
    }

    static func reduceAction(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .inspected(let result):
            return received(&state, result)
        case .retrieved(let result):
            return retrieved(&state, result)
        case .retrievalProgress(let line):
            state.searchView.progress = line
            return []
        case .crossModelAnswered(let result):
            return crossModelAnswered(&state, result)
        case .setup(let setup):
            return apply(setup, to: &state)
        case .notice(let message):
            state.saveRequested = false
            state.status = message
            return []
        case .superseded(let request):
            state.attentionView.pending.removeAll { $0.request == request }
            return []
        case .resize(let width, let height):
            state.width = width
            state.height = height
            return []
        case .key(let key):
            if state.autoPlay {
                state.autoPlay = false
                state.status = "auto-play stopped after " + Plural.count(state.history.autoPlayCount, "token")
                return []
            }
            if key == .escape, state.history.pendingPrompt != nil, state.editor == nil, state.embeddingsView.input == nil, !state.showHelp {
                return cancelPrompt(&state)
            }
            if state.confirmingQuit { return confirmQuit(&state, key) }
            if state.modelPicker != nil { return modelPickerKey(&state, key) }
            if let handled = teachingKey(&state, key) { return handled }
            if state.editor != nil { return editorKey(&state, key) }
            if state.embeddingsView.input != nil { return embeddingsInputKey(&state, key) }
            if state.attributionView.input != nil { return attributionInputKey(&state, key) }
            if let handled = retrievalInputKey(&state, key) { return handled }
            if state.showHelp { return helpKey(&state, key) }
            if let handled = explainKey(&state, key) { return handled }
            guard let command = Keymap.command(for: key, in: state.view) else { return [] }
            return perform(&state, command)
        case .click:
            // An open text field keeps the click; help closes like on a key.
            if state.editor != nil || state.embeddingsView.input != nil || state.attributionView.input != nil || retrievalInputOpen(state) { return [] }
            if state.showHelp {
                state.showHelp = false
                return []
            }
            return []
        case .clickTab(let index):
            if state.editor != nil || state.embeddingsView.input != nil || state.attributionView.input != nil || retrievalInputOpen(state) { return [] }
            state.showHelp = false
            guard state.tabs.indices.contains(index) else { return [] }
            return perform(&state, .show(state.tabs[index]))
        case .clickToken(let index):
            if state.editor != nil || state.embeddingsView.input != nil || state.attributionView.input != nil || retrievalInputOpen(state) { return [] }
            if state.showHelp {
                state.showHelp = false
                return []
            }
            return select(&state, index)
        case .scroll(let delta):
            if state.showHelp { return helpKey(&state, delta < 0 ? .up : .down) }
            return select(&state, state.selected + delta)
        case .paste(let text, let dropped, let replaced):
            return pasted(&state, text, dropped: dropped, replaced: replaced)
        case .loaded(let tokens, let timings):
            promptLoaded(&state)
            state.tokens = tokens
            state.timings = timings
            state.busy = nil
            state.analysis = nil
            state.status = "ran \(tokens.count) prompt tokens"
            return select(&state, tokens.count - 1, force: true)
        case .appended(let token, let timings):
            state.tokens.append(token)
            recordStep(&state, position: state.tokens.count - 1)
            state.timings = timings
            state.busy = nil
            state.candidate = 0
            let effects = select(&state, state.tokens.count - 1, force: true)
            if state.autoPlay {
                state.history.autoPlayCount += 1
                let count = state.history.autoPlayCount
                if token.isEnd || count >= autoPlayLimit || state.tokens.count >= max(1, state.contextLength) && state.contextLength > 0 {
                    state.autoPlay = false
                    let why = token.isEnd ? "the end of the text" : (count >= autoPlayLimit ? "its limit" : "the context limit")
                    state.status = "auto-play stopped at \(why) after \(count) token\(count == 1 ? "" : "s")"
                } else {
                    state.busy = "generating"
                }
            }
            return effects
        case .restored(let tokens, let from, let select, let timings):
            state.tokens = Array(state.tokens.prefix(from)) + tokens
            state.timings = timings
            state.busy = nil
            return Self.select(&state, select, force: true)
        case .rewound(let count, let timings):
            state.tokens.removeSubrange(min(count, state.tokens.count)...)
            state.timings = timings
            state.busy = nil
            return select(&state, count - 1, force: true)
        case .analysed(let analysis):
            if analysis.position == state.selected {
                state.analysis = analysis
                state.vocabularyText.merge(analysis.texts) { _, new in new }
                state.busy = nil
                if state.autoPlay, let next = state.sampling?.chosenID { state.busy = "generating"; return [.append(id: next)] }
                return takeQueuedStep(&state)
            }
            return []
        case .failed(let message):
            state.busy = nil
            state.autoPlay = false
            workFailed(&state, message)
            return []
        case .teaching(let action):
            return teaching(&state, action)
        case .working(let request, let fraction):
            return attributionWorking(&state, request, fraction)
        case .modelsListed(let entries, let current):
            return modelsListed(&state, entries, current: current)
        case .modelSwitched(let facts):
            return modelSwitched(&state, facts)
        case .progress(let fraction):
            if state.busy != nil { state.busy = "running the prompt \(Int((fraction * 100).rounded()))%" }
            return []
        }
    }

    /// Selects `index` (clamped) and asks for its analysis when it changed.
    static func select(_ state: inout AppState, _ index: Int, force: Bool = false) -> [Effect] {
        guard !state.tokens.isEmpty else { return [] }
        let clamped = min(max(0, index), state.tokens.count - 1)
        guard clamped != state.selected || force || state.analysis == nil else { return [] }
        state.selected = clamped
        state.candidate = 0
        state.busy = state.busy ?? "analysing"
        return [.analyse(position: clamped)]
    }

    static func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
        if state.isEncoder, let refusal = encoderRefusal(command) {
            state.status = refusal
            return []
        }
        switch command {
        case .quit:
            askToQuit(&state)
        case .quitNow:
            state.quitting = true
        case .togglePresenter:
            state.presenting.toggle()
            state.status = state.presenting ? "presenter mode: b shows the full view" : "full view: b for presenter mode"
        case .saveScreen:
            state.saveRequested = true
        case .toggleSplit:
            state.attentionView.crossModel.isOpen = false
            return toggleSideBySide(&state)
        case .toggleCrossModel:
            return toggleCrossModel(&state)
        case .editSecondPrompt:
            state.attentionView.crossModel.isOpen = false
            return editSecondPrompt(&state)
        case .swapPrompts:
            return swapPrompts(&state)
        case .switchSide:
            guard state.comparison != nil else { return [] }
            state.editingComparison.toggle()
        case .swapSides:
            guard let comparison = state.comparison else { return [] }
            state.comparison = state.settings
            state.settings = comparison
        case .help:
            state.showHelp = true
            state.helpScroll = 0
        case .modelPicker:
            return openModelPicker(&state)
        case .edit:
            state.editor = PromptEditor(text: state.prompt, history: state.promptHistory)
        case .nextView, .previousView:
            let all = state.tabs
            let index = all.firstIndex(of: state.shown(state.view)) ?? 0
            state.view = all[(index + (command == .nextView ? 1 : all.count - 1)) % all.count]
        case .show(let view):
            state.view = state.shown(view)
        case .retrieval(let command):
            return retrievalCommand(&state, command)
        case .selectPrevious: return select(&state, state.selected - 1)
        case .selectNext: return select(&state, state.selected + 1)
        case .selectFirst: return select(&state, 0)
        case .selectLast: return select(&state, state.tokens.count - 1)
        case .selectBy(let step): return select(&state, state.selected + step)
        case .layerUp, .layerDown:
            state.layer = (state.layer + (command == .layerDown ? 1 : state.layerCount - 1)) % max(1, state.layerCount)
            return []  // the views read every head of the layer from state.attentionView (Reducer+Inspect)
        case .headPrevious, .headNext:
            state.head = (state.head + (command == .headNext ? 1 : state.headCount - 1)) % max(1, state.headCount)
            return []
        case .toggleIDs:
            state.showIDs.toggle()
        case .attentionMode, .attentionToggle, .zoom, .openHead, .ablateHead, .ablateMLP, .clearAblations:
            return attentionCommand(&state, command)
        case .lookUp:
            return embeddingsCommand(&state, command)
        case .whyMode, .targetPrevious, .targetNext, .typeCorrupt, .cancelWork:
            return attributionCommand(&state, command)
        case .replayForward, .replayBack, .toggleComparison:
            tokensCommand(&state, command)
        case .toggleChat:
            return runPrompt(&state, state.prompt, chat: !state.chat)
        case .candidateUp: state.candidate = max(0, state.candidate - 1)
        case .candidateDown: state.candidate = min((state.sampling?.candidates.count ?? 1) - 1, state.candidate + 1)
        case .step, .force:
            return step(&state, force: command == .force)
        case .undo:
            return undo(&state)
        case .autoPlay:
            guard state.busy == nil, let next = state.sampling?.chosenID else { return [] }
            state.autoPlay = true
            state.history.autoPlayCount = 0
            let effects = beginStep(&state, id: next)
            state.busy = "generating"
            state.status = "auto-play: any key stops"
            return effects
        case .adjust(let knob, let steps):
            if state.editingComparison, let comparison = state.comparison {
                state.comparison = comparison.adjusting(knob, by: steps)
            } else {
                state.settings = state.settings.adjusting(knob, by: steps)
            }
        case .reseed:
            state.settings.seed = state.settings.seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        case .explain, .lessonList, .glossary, .lessonNext, .lessonBack, .lessonHint, .lessonPanel:
            return teachingCommand(&state, command)
        }
        return []
    }

    /// While help is open, ↓/↑ and PgDn/PgUp (and the wheel) turn its pages when it is longer
    /// than the screen, Home/End go to the first and last; any other key closes it.
    static func helpKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let overlay = HelpContent.overlay(state, theme: .monochrome)
        let screen = Rect(x: 0, y: 0, width: state.width, height: state.height)
        var scroll = state.helpScroll
        let scrolls: Set<Key> = [.up, .down, .pageUp, .pageDown, .home, .end]
        guard overlay.maxScroll(in: screen) > 0, scrolls.contains(key) else {
            state.showHelp = false
            state.helpScroll = 0
            return []
        }
        switch key {
        case .up, .pageUp: scroll -= 1
        case .down, .pageDown: scroll += 1
        case .home: scroll = 0
        case .end: scroll = overlay.maxScroll(in: screen)
        default:
            state.showHelp = false
            state.helpScroll = 0
            return []
        }
        state.helpScroll = min(max(0, scroll), overlay.maxScroll(in: screen))
        return []
    }

    /// A paste goes into the open text field; otherwise it opens the prompt editor on the pasted
    /// text, so Enter runs it and Esc keeps the current prompt. Pasted keys never run commands.
    /// Nothing pasted is lost silently: characters past the limit, bytes that were not UTF-8 (now
    /// U+FFFD) and control characters (kept, shown as control pictures) are said on the status line.
    static func pasted(_ state: inout AppState, _ text: String, dropped: Int, replaced: Int = 0) -> [Effect] {
        if state.autoPlay {
            state.autoPlay = false
        }
        state.showHelp = false
        let count = Plural.count(text.count, "character")
        let note = pasteNote(text, dropped: dropped, replaced: replaced)
        if var input = state.attributionView.input {
            input.insert(String(text.map { $0.isNewline ? " " : $0 }))
            state.attributionView.input = input
            return []
        }
        if retrievalPaste(&state, text) { return [] }
        if var input = state.embeddingsView.input {
            input.insert(String(text.map { $0.isNewline ? " " : $0 }))
            state.embeddingsView.input = input
            if !note.isEmpty { state.status = "pasted \(count)" + note }
            return []
        }
        if state.editor == nil {
            state.editor = PromptEditor(text: "", history: state.promptHistory + [state.prompt])
            // The note first: on a narrow screen it is what must not be cut off.
            state.status = "pasted \(count)" + note + ": Enter runs them, Esc keeps the prompt"
        } else if !note.isEmpty {
            state.status = "pasted \(count)" + note
        }
        state.editor?.insert(text)
        return []
    }

    /// What the status line adds after "pasted N characters": what was not kept, what was not
    /// UTF-8, and which control characters the text holds; empty when there is nothing to say.
    static func pasteNote(_ text: String, dropped: Int, replaced: Int) -> String {
        var notes: [String] = []
        if dropped > 0 { notes.append("\(dropped) more were not kept") }
        if replaced > 0 {
            notes.append(replaced == 1 ? "1 � stands for bytes that were not UTF-8" : "\(replaced) � stand for bytes that were not UTF-8")
        }
        let controls = text.unicodeScalars.filter { PromptEditor.controlPicture(of: $0) != nil }
        if !controls.isEmpty {
            var pictures: [String] = []
            for scalar in controls {
                let picture = PromptEditor.controlPicture(of: scalar) ?? "?"
                if !pictures.contains(picture) { pictures.append(picture) }
            }
            notes.append(Plural.count(controls.count, "control character") + " kept, shown as " + pictures.prefix(4).joined(separator: " "))
        }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
    }

    static func editorKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var editor = state.editor else { return [] }
        if state.secondPrompt.editing, [.enter, .escape, .control("c")].contains(key) { return secondPromptEditorKey(&state, key) }
        switch key {
        case .escape:
            state.editor = nil
            return []
        case .enter:
            state.editor = nil
            let text = editor.text
            guard !text.isEmpty else {
                state.status = "the prompt is empty: type some text"
                return []
            }
            return runPrompt(&state, text, chat: state.chat)
        case .up: editor.recall(older: true)
        case .down: editor.recall(older: false)
        case .control("c"):
            state.editor = nil
            return []
        default: _ = editor.edit(key)
        }
        state.editor = editor
        return []
    }
}
