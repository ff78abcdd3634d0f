import Foundation
import TokenscopeUI

// MARK: - Search view and retrieval: keys, requests, answers

extension Reducer {
    /// The search and similarity views' keys.
    static func retrievalCommand(_ state: inout AppState, _ command: RetrievalCommand) -> [Effect] {
        switch command {
        case .typeQuery:
            state.searchView.input = PromptEditor(text: state.searchView.query)
            state.searchView.editingPath = false
        case .chooseDocuments:
            state.searchView.input = PromptEditor(text: state.searchView.documentsPath)
            state.searchView.editingPath = true
        case .results(let step):
            state.searchView.k = min(SearchViewState.maximumK, max(1, state.searchView.k + step))
        case .answer:
            return answerWithRetrieval(&state)
        case .selectSentence, .editSentence, .addSentence, .removeSentence:
            similarityCommand(&state, command)
        }
        return []
    }

    /// `r`: the top-k chunks by meaning and the question go into the decoder's prompt as a chat
    /// turn; the sampling view opens on the answer, and the answer with and without retrieval is
    /// asked for once the prompt has run.
    static func answerWithRetrieval(_ state: inout AppState) -> [Effect] {
        guard !state.isEncoder else {
            state.status = "an answer needs a decoder: open the explorer on SmolLM2 (the default model) to send the chunks into its prompt"
            return []
        }
        guard let report = state.searchView.report, !report.semantic.isEmpty else {
            state.status = "search first: ⏎ types a question"
            return []
        }
        let question = RAGQuestion(question: report.query, contexts: report.semantic.prefix(state.searchView.k).map(\.text))
        state.searchView.question = question
        state.searchView.answerAsked = false
        state.searchView.answer = nil
        state.view = .sampling
        state.status = "sent the top \(Plural.count(question.contexts.count, "chunk")) and the question to the decoder as a chat turn"
        return runPrompt(&state, question.prompt, chat: true)
    }

    /// Keys while a text box of the search or similarity view is open; nil when none is.
    static func retrievalInputKey(_ state: inout AppState, _ key: Key) -> [Effect]? {
        if var input = state.searchView.input {
            switch key {
            case .escape, .control("c"):
                state.searchView.input = nil
            case .enter:
                state.searchView.input = nil
                let text = input.text.trimmingCharacters(in: .whitespaces)
                if state.searchView.editingPath {
                    guard !text.isEmpty else { return [] }
                    state.searchView.documentsPath = text
                    state.searchView.index = nil
                    state.searchView.report = nil
                    state.searchView.message = nil
                } else {
                    state.searchView.query = text
                    state.searchView.message = nil
                }
            default:
                _ = input.edit(key)
                state.searchView.input = input
            }
            return []
        }
        if state.similarityView.input != nil { return similarityInputKey(&state, key) }
        return nil
    }

    /// Whether a text box of the search or similarity view is open.
    static func retrievalInputOpen(_ state: AppState) -> Bool {
        state.searchView.input != nil || state.similarityView.input != nil
    }

    /// A paste into an open search or similarity text box; false when none is open.
    static func retrievalPaste(_ state: inout AppState, _ text: String) -> Bool {
        let line = String(text.map { $0.isNewline ? " " : $0 })
        if state.searchView.input != nil {
            state.searchView.input?.insert(line)
            return true
        }
        if state.similarityView.input != nil {
            state.similarityView.input?.insert(line)
            return true
        }
        return false
    }

    // MARK: Requests

    /// The retrieval work the state calls for and has not asked for: the similarity matrix, the
    /// documents' index, the query's rankings, and the answer once its prompt has run. Runs after
    /// every action.
    static func retrievalEffects(_ state: inout AppState) -> [Effect] {
        var wanted: [RetrievalRequest] = []
        switch state.view {
        case .similarity:
            if state.similarityView.sentences.isEmpty {
                state.similarityView.sentences = [state.prompt] + SimilarityViewState.examples
            }
            let sentences = state.similarityView.sentences
            if state.similarityView.report?.sentences != sentences, state.similarityView.message == nil {
                wanted.append(.similarity(sentences))
            }
        case .search:
            if state.searchView.documentsPath.isEmpty { state.searchView.documentsPath = SearchViewState.defaultDocuments }
            let path = state.searchView.documentsPath
            if state.searchView.index?.path != path {
                if state.searchView.message == nil { wanted.append(.index(path: path)) }
            } else if !state.searchView.query.isEmpty {
                let report = state.searchView.report
                if state.searchView.message == nil,
                    report?.query != state.searchView.query || report?.path != path || state.searchView.searchedK != state.searchView.k
                {
                    state.searchView.searchedK = state.searchView.k
                    wanted.append(.search(query: state.searchView.query, k: state.searchView.k))
                }
            }
        default:
            break
        }
        // The answer is asked for once its prompt is the sequence on screen.
        if let question = state.searchView.question, !state.searchView.answerAsked, state.history.pendingPrompt == nil,
            state.prompt == question.prompt, state.chat, !state.tokens.isEmpty, state.analysis != nil
        {
            state.searchView.answerAsked = true
            wanted.append(.answer(question))
        }
        let requests = wanted.filter { !state.searchView.pending.contains($0) && !state.similarityView.pending.contains($0) }
        for request in requests {
            if case .similarity = request { state.similarityView.pending.append(request) } else { state.searchView.pending.append(request) }
        }
        return requests.map { .retrieve($0) }
    }

    /// Stores retrieval work that came back.
    static func retrieved(_ state: inout AppState, _ result: RetrievalResult) -> [Effect] {
        state.searchView.progress = nil
        switch result {
        case .similarity(let report):
            state.similarityView.pending.removeAll { $0 == .similarity(report.sentences) }
            state.similarityView.report = report
            state.similarityView.message = nil
        case .index(let report):
            state.searchView.pending.removeAll { $0 == .index(path: report.path) }
            state.searchView.index = report
            state.searchView.report = nil
            state.searchView.message = nil
            state.status = report.fromCache
                ? "opened \(Plural.count(report.chunks, "chunk")) from the index cache"
                : "embedded and cached \(Plural.count(report.chunks, "chunk"))"
        case .search(let report):
            state.searchView.pending.removeAll { if case .search = $0 { true } else { false } }
            state.searchView.report = report
        case .answer(let report):
            state.searchView.pending.removeAll { if case .answer = $0 { true } else { false } }
            state.searchView.answer = report
        case .failed(let request, let message):
            state.similarityView.pending.removeAll { $0 == request }
            state.searchView.pending.removeAll { $0 == request }
            let text = message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message
            switch request {
            case .similarity: state.similarityView.message = text
            case .index, .search: state.searchView.message = text
            case .answer:
                state.searchView.question = nil
                state.status = "no answer: " + text
            }
        }
        return []
    }
}
