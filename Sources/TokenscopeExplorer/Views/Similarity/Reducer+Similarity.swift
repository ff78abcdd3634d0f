import TokenscopeUI

// MARK: - Similarity view keys

extension Reducer {
    /// ↑/↓ select a sentence, ⏎ edits it, `a` adds one, `x` removes one.
    static func similarityCommand(_ state: inout AppState, _ command: RetrievalCommand) {
        var view = state.similarityView
        switch command {
        case .selectSentence(let step):
            view.selected = min(max(0, view.selected + step), max(0, view.sentences.count - 1))
        case .editSentence:
            guard view.sentences.indices.contains(view.selected) else { return }
            view.input = PromptEditor(text: view.sentences[view.selected])
            view.adding = false
        case .addSentence:
            guard view.sentences.count < SimilarityViewState.maximumCount else {
                state.status = "at most \(SimilarityViewState.maximumCount) sentences: x removes the selected one"
                return
            }
            view.input = PromptEditor(text: "")
            view.adding = true
        case .removeSentence:
            guard view.sentences.count > 2 else {
                state.status = "a comparison needs at least two sentences"
                return
            }
            view.sentences.remove(at: view.selected)
            view.selected = min(view.selected, view.sentences.count - 1)
            view.message = nil
        default:
            return
        }
        state.similarityView = view
    }

    /// Keys while the similarity view's text box is open: ⏎ keeps the sentence, Esc cancels.
    static func similarityInputKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var input = state.similarityView.input else { return [] }
        switch key {
        case .escape, .control("c"):
            state.similarityView.input = nil
        case .enter:
            state.similarityView.input = nil
            let text = input.text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                state.status = "an empty sentence is not compared: type some text"
                return []
            }
            if state.similarityView.adding {
                state.similarityView.sentences.append(text)
                state.similarityView.selected = state.similarityView.sentences.count - 1
            } else if state.similarityView.sentences.indices.contains(state.similarityView.selected) {
                state.similarityView.sentences[state.similarityView.selected] = text
            }
            state.similarityView.message = nil
        default:
            _ = input.edit(key)
            state.similarityView.input = input
        }
        return []
    }

    /// Why a key that needs a next-token distribution does nothing on an encoder; nil when the
    /// command is fine.
    static func encoderRefusal(_ command: Command) -> String? {
        switch command {
        case .step, .force, .autoPlay, .undo:
            "an encoder reads the whole text at once and predicts no next token: there is nothing to generate (the similarity view, 2, compares sentences)"
        case .toggleChat:
            "an encoder has no chat template: it embeds text, it does not hold a conversation"
        case .ablateHead, .ablateMLP:
            "ablation diffs compare next-token distributions, and an encoder predicts none"
        default:
            nil
        }
    }
}
