import TokenscopeTransformer
import TokenscopeUI

// MARK: - Why view commands and data

extension Reducer {
    /// The Why view's modes, target choice, corrupted prompt and cancellation.
    static func attributionCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .whyMode(let mode):
            state.attributionView.mode = mode
        case .targetPrevious:
            state.attributionView.targetRank = max(0, state.attributionView.targetRank - 1)
        case .targetNext:
            state.attributionView.targetRank = min(AttributionViewState.targetChoices - 1, state.attributionView.targetRank + 1)
        case .typeCorrupt:
            state.attributionView.mode = .patching
            state.attributionView.input = PromptEditor(text: state.attributionView.corrupt)
        case .cancelWork:
            guard let progress = state.attributionView.progress else { return [] }
            state.attributionView.progress = nil
            state.attributionView.message = "\(workName(progress.request)) cancelled"
            return [.cancelInspection]
        default:
            break
        }
        return []
    }

    /// Keys while the corrupted-prompt field is open: Enter runs the patching, Esc closes it.
    static func attributionInputKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var input = state.attributionView.input else { return [] }
        switch key {
        case .escape, .control("c"):
            state.attributionView.input = nil
            return []
        case .enter:
            state.attributionView.input = nil
            state.attributionView.corrupt = input.text
            guard !input.text.isEmpty else {
                state.attributionView.message = "the corrupted prompt is empty: type one"
                return []
            }
            guard !state.tokens.isEmpty else { return [] }
            return ask(&state, .patching(position: state.selected, corrupt: input.text), again: true)
        default:
            _ = input.edit(key)
        }
        state.attributionView.input = input
        return []
    }

    /// The target of attribution and occlusion: the candidate of the selected rank in the analysis
    /// of the selected position (nil while it is being computed).
    static func attributionTarget(_ state: AppState) -> Int? {
        guard let analysis = state.analysis, analysis.position == state.selected else { return nil }
        let top = Softmax.top(analysis.logits, count: AttributionViewState.targetChoices)
        guard !top.isEmpty else { return nil }
        return top[min(state.attributionView.targetRank, top.count - 1)].id
    }

    /// The requests the Why view needs for the current sequence, position and target. Patching
    /// runs only when asked (Enter in the corrupted-prompt field).
    static func attributionEffects(_ state: inout AppState) -> [Effect] {
        let ids = state.tokens.map(\.id)
        state.attributionView.pending.removeAll { $0.tokenIDs != ids }
        if let progress = state.attributionView.progress, !state.attributionView.pending.contains(where: { $0.request == progress.request }) {
            state.attributionView.progress = nil
        }
        guard state.view == .why, let target = attributionTarget(state) else { return [] }
        let view = state.attributionView
        switch view.mode {
        case .logit:
            if let report = view.attribution, report.tokenIDs == ids, report.attribution.position == state.selected, report.attribution.target == target { return [] }
            return ask(&state, .attribution(position: state.selected, target: target))
        case .occlusion:
            guard state.selected >= 1 else { return [] }
            if let report = view.occlusion, report.tokenIDs == ids, report.position == state.selected, report.occlusion.target == target { return [] }
            return ask(&state, .occlusion(position: state.selected, target: target))
        case .patching:
            return []
        }
    }

    /// Sends `request` unless it was already asked for this sequence (`again`: ask anyway).
    static func ask(_ state: inout AppState, _ request: InspectRequest, again: Bool = false) -> [Effect] {
        let asked = AskedRequest(request: request, tokenIDs: state.tokens.map(\.id))
        if again { state.attributionView.pending.removeAll { $0 == asked } }
        guard !state.attributionView.pending.contains(asked) else { return [] }
        state.attributionView.pending.append(asked)
        if request.isLong {
            state.attributionView.progress = .init(request: request, fraction: 0)
            state.attributionView.message = nil
        }
        return [.inspect(request)]
    }

    /// Stores an answer for the Why view.
    static func attributionReceived(_ state: inout AppState, _ result: InspectResult) -> [Effect] {
        var view = state.attributionView
        switch result {
        case .attribution(let report):
            view.pending.removeAll { $0.request == .attribution(position: report.attribution.position, target: report.attribution.target) && $0.tokenIDs == report.tokenIDs }
            view.attribution = report
        case .occlusion(let report):
            let request = InspectRequest.occlusion(position: report.position, target: report.occlusion.target)
            view.pending.removeAll { $0.request == request && $0.tokenIDs == report.tokenIDs }
            if view.progress?.request == request { view.progress = nil }
            view.occlusion = report
        case .patching(let report):
            let request = InspectRequest.patching(position: report.position, corrupt: report.corrupt)
            view.pending.removeAll { $0.request == request && $0.tokenIDs == report.tokenIDs }
            if view.progress?.request == request { view.progress = nil }
            view.patching = report
            view.message = nil
        case .failed(let request, let message):
            // A failed request stays asked, so it is not retried for the same sequence.
            if view.progress?.request == request { view.progress = nil }
            view.message = message == "cancelled" ? "\(workName(request)) cancelled" : message
        default:
            break
        }
        state.attributionView = view
        return []
    }

    /// Progress of a long request, shown while it is the one in flight.
    static func attributionWorking(_ state: inout AppState, _ request: InspectRequest, _ fraction: Double) -> [Effect] {
        if state.attributionView.progress?.request == request { state.attributionView.progress = .init(request: request, fraction: fraction) }
        return []
    }

    static func workName(_ request: InspectRequest) -> String {
        switch request {
        case .occlusion: "occlusion"
        case .patching: "patching"
        default: "attribution"
        }
    }
}
