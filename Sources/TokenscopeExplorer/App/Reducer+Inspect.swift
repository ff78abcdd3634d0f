import TokenscopeUI

// MARK: - View data for the attention, embeddings and forward views

extension Reducer {
    /// The requests the current view needs and has not got (nor asked for) yet. Runs after every action.
    static func viewDataEffects(_ state: inout AppState) -> [Effect] {
        guard !state.tokens.isEmpty, state.selected < state.tokens.count else { return [] }
        let ids = state.tokens.map(\.id)
        var wanted: [InspectRequest] = []
        switch state.view {
        case .attention:
            let data = state.attentionView.layerData
            if data?.tokenIDs != ids || data?.layer != state.layer || data?.isScores != state.attentionView.scores {
                wanted.append(.layer(state.layer, scores: state.attentionView.scores))
            }
            if state.attentionView.mode == .overview, state.attentionView.overview?.tokenIDs != ids { wanted.append(.overview) }
            let ablations = state.attentionView.ablations
            let diff = state.attentionView.ablationDiff
            if !ablations.isEmpty, diff?.tokenIDs != ids || diff?.position != state.selected || diff?.ablations != ablations {
                wanted.append(.ablation(position: state.selected, ablations: ablations))
            }
            let requests = wanted.filter { !state.attentionView.pending.contains(AskedRequest(request: $0, tokenIDs: ids)) }
            state.attentionView.pending += requests.map { AskedRequest(request: $0, tokenIDs: ids) }
            return requests.map { .inspect($0) }
        case .embeddings:
            let request = InspectRequest.embeddings(query: state.embeddingsView.query, position: state.selected, layer: state.layer + 1)
            guard state.embeddingsView.report?.request != request || state.embeddingsView.report?.tokenIDs != ids,
                !state.embeddingsView.pending.contains(AskedRequest(request: request, tokenIDs: ids))
            else { return [] }
            state.embeddingsView.pending.append(AskedRequest(request: request, tokenIDs: ids))
            return [.inspect(request)]
        case .forward:
            let request = InspectRequest.forward(position: state.selected, layer: state.layer)
            guard state.forwardView.details?.request != request || state.forwardView.details?.tokenIDs != ids,
                !state.forwardView.pending.contains(AskedRequest(request: request, tokenIDs: ids))
            else { return [] }
            state.forwardView.pending.append(AskedRequest(request: request, tokenIDs: ids))
            return [.inspect(request)]
        case .why:
            return attributionEffects(&state)
        default:
            return []
        }
    }

    /// Stores an answer (the next `viewDataEffects` asks again if it is already stale).
    static func received(_ state: inout AppState, _ result: InspectResult) -> [Effect] {
        switch result {
        case .layer(let data):
            state.attentionView.pending.removeAll { $0.request == .layer(data.layer, scores: data.isScores) && $0.tokenIDs == data.tokenIDs }
            state.attentionView.layerData = data
            state.attentionView.message = nil
        case .overview(let overview):
            state.attentionView.pending.removeAll { $0.request == .overview && $0.tokenIDs == overview.tokenIDs }
            state.attentionView.overview = overview
        case .embeddings(let report):
            state.embeddingsView.pending.removeAll { $0.request == report.request && $0.tokenIDs == report.tokenIDs }
            state.embeddingsView.report = report
        case .ablation(let diff):
            state.attentionView.pending.removeAll { $0.request == .ablation(position: diff.position, ablations: diff.ablations) && $0.tokenIDs == diff.tokenIDs }
            state.attentionView.ablationDiff = diff
        case .attribution, .occlusion, .patching:
            return attributionReceived(&state, result)
        case .forward(let details):
            state.forwardView.pending.removeAll { $0.request == details.request && $0.tokenIDs == details.tokenIDs }
            state.forwardView.details = details
            state.vocabularyText.merge(details.lensTexts) { _, new in new }
            state.forwardView.message = nil
        case .secondPrompt(let data):
            receivedSecondPrompt(&state, data)
        case .failed(let request, let message):
            switch request {
            case .layer, .overview, .ablation:
                state.attentionView.message = message
            case .embeddings:
                state.embeddingsView.message = message
            case .forward:
                state.forwardView.message = message
            case .secondPrompt(let second):
                secondPromptFailed(&state, second, message)
            case .attribution, .occlusion, .patching:
                return attributionReceived(&state, result)
            }
        }
        return []
    }
}
