import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - What the explain panel says about the Why view

/// The explain panel's sentences for the Why view, from the numbers it draws.
enum AttributionExplainer {
    static func sentences(_ state: AppState) -> [String] {
        let view = state.attributionView
        let ids = state.tokens.map(\.id)
        switch view.mode {
        case .logit:
            guard let report = view.attribution, report.tokenIDs == ids, report.attribution.position == state.selected else {
                return ["Direct logit attribution splits the logit of the target into the part each head and each MLP wrote into the residual stream; it is being computed."]
            }
            let a = report.attribution
            var out = [String(format: "The logit of %@ after token %d is %.2f. The residual stream at the end is the embedding plus what every head and MLP added, so with the final norm's scale frozen the logit is a sum of parts: %.2f here.",
                              AttributionView.quoted(report.targetText), a.position, a.logit, a.total)]
            if let top = a.components.max(by: { abs($0.contribution) < abs($1.contribution) }) {
                let name = top.head.map { "L\(top.layer) H\($0)" } ?? "L\(top.layer) MLP"
                out.append(String(format: "The largest part is %@ with %+.2f: %@ the target.", name, top.contribution, top.contribution >= 0 ? "it pushes towards" : "it pushes away from"))
            }
            out.append("A direct part is not the whole story: a head can also act through later layers. Ablating it (x in the attention view) measures that.")
            return out
        case .occlusion:
            guard let report = view.occlusion, report.tokenIDs == ids, report.position == state.selected else {
                return ["Occlusion drops each token in turn, re-runs the model and measures how log p of the target changes; it is being computed."]
            }
            var out = [String(format: "With every token the model gives %@ p = %.1f%%.", AttributionView.quoted(report.targetText), exp(report.occlusion.baseline) * 100)]
            if let (position, delta) = report.occlusion.deltas.enumerated().min(by: { $0.element < $1.element }), position < state.tokens.count {
                out.append(String(format: "Dropping token %d %@ changes log p most, by %+.2f (p %.1f%%): the model leans on it.", position,
                                  AttributionView.quoted(state.tokens[position].text), delta, exp(report.occlusion.baseline + delta) * 100))
            }
            return out
        case .patching:
            guard let report = view.patching else {
                return ["Activation patching runs a corrupted prompt and copies one piece of the clean run into it at a time: the pieces that bring the clean answer back are where the model carries it. Press c to type a corrupted prompt."]
            }
            return [String(format: "Clean, logit(%@) − logit(%@) is %.2f; corrupted, %.2f. Each cell is the fraction of that gap one copied piece recovers: 0 leaves the corrupted answer, 1 restores the clean one.",
                           AttributionView.quoted(report.answerText), AttributionView.quoted(report.otherText), report.metric.clean, report.metric.corrupt)]
        }
    }
}
