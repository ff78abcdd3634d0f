import Foundation
import TokenscopeUI

// MARK: - The answer with and without retrieval

/// Under the sampling view after `r` in the search view: the decoder's answer with the retrieved
/// chunks in its prompt, each answer token's probability with them and with the question alone,
/// what the model says without them, and the retrieved tokens the answer attends to.
enum RAGPanel {
    /// Whether the sampling view shows the panel: the sequence on screen is the retrieval prompt.
    static func isShown(_ state: AppState) -> Bool {
        guard let question = state.searchView.question else { return false }
        return state.chat && state.prompt == question.prompt && state.view == .sampling
    }

    /// The sampling view above, the panel below.
    static func renderWithSampling(_ state: AppState, _ theme: Theme, _ body: Rect, _ canvas: inout Canvas) {
        let height = min(max(6, body.height / 2), 12)
        let top = Rect(x: body.x, y: body.y, width: body.width, height: body.height - height)
        SamplingView.render(state, theme, top, &canvas)
        canvas.fill(x: body.x, y: top.y + top.height, width: body.width, height: height)
        render(state, theme, Rect(x: body.x, y: top.y + top.height, width: body.width, height: height), &canvas)
    }

    static func render(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard let question = state.searchView.question else { return }
        canvas.text(" retrieval: \(Plural.count(question.contexts.count, "chunk")) sent with \"\(question.question)\"", x: area.x, y: area.y, style: theme.header, maxWidth: area.width)
        guard let report = state.searchView.answer, report.prompt == question.prompt else {
            canvas.text(" " + (state.searchView.progress ?? "the prompt runs, then the answer with and without retrieval") + "…",
                        x: area.x, y: area.y + 1, style: theme.muted, maxWidth: area.width)
            return
        }
        var y = area.y + 1
        // The end-of-turn token, when the answer reached it, is not part of the text.
        let answer = report.answer.map(\.text).filter { !($0.hasPrefix("<|") && $0.hasSuffix("|>")) }.joined()
        var x = canvas.text(" with retrieval:    ", x: area.x, y: y, style: theme.muted)
        x = canvas.text(oneLine(answer), x: x, y: y, style: .plain, maxWidth: max(0, area.x + area.width - x - 22))
        canvas.text(String(format: "  P = e^%.1f", report.logProbabilityWith), x: x, y: y, style: theme.probability, maxWidth: max(0, area.x + area.width - x))
        y += 1
        x = canvas.text(" without (alone):   ", x: area.x, y: y, style: theme.muted)
        x = canvas.text(oneLine(report.bareAnswer), x: x, y: y, style: .plain, maxWidth: max(0, area.x + area.width - x - 2))
        y += 1
        canvas.text(String(format: " P(the answer above) without retrieval = e^%.1f: %@", report.logProbabilityWithout,
                           comparison(report)), x: area.x, y: y, style: theme.warning, maxWidth: area.width)
        y += 1
        // Token by token: probability with | without.
        x = canvas.text(" per token, with │ without: ", x: area.x, y: y, style: theme.muted)
        for token in report.answer {
            let label = oneLine(token.text).trimmingCharacters(in: .whitespaces)
            let text = String(format: "%@ %.0f%%│%.0f%%  ", label.isEmpty ? "␣" : label, token.withRetrieval * 100, token.withoutRetrieval * 100)
            guard x + Canvas.columns(of: text) <= area.x + area.width else { break }
            x = canvas.text(text, x: x, y: y, style: .plain)
        }
        y += 1
        guard y < area.y + area.height else { return }
        let shares = report.chunkShares.enumerated().map { String(format: "[%d] %.0f%%", $0.offset + 1, $0.element * 100) }.joined(separator: " · ")
        canvas.text(String(format: " attention from the answer on the retrieved text: %.0f%% (", report.contextShare * 100) + shares + ")",
                    x: area.x, y: y, style: theme.muted, maxWidth: area.width)
        y += 1
        guard y < area.y + area.height else { return }
        x = canvas.text(" its most attended retrieved words [chunk]: ", x: area.x, y: y, style: theme.muted, maxWidth: area.width)
        let strongest = report.attended.first?.weight ?? 1
        for token in report.attended {
            let label = oneLine(token.text).trimmingCharacters(in: .whitespaces)
            let text = "\(label.isEmpty ? "␣" : label)[\(token.chunk)]"
            guard x + Canvas.columns(of: text) + 1 <= area.x + area.width else {
                y += 1
                guard y < area.y + area.height else { break }
                x = area.x + 3
                continue
            }
            x = canvas.text(text, x: x, y: y, style: theme.rampLabel(Double(token.weight / max(strongest, 1e-9))))
            x += 1
        }
    }

    /// How much retrieval raised the answer's probability, in words.
    static func comparison(_ report: RAGReport) -> String {
        let ratio = report.logProbabilityWith - report.logProbabilityWithout
        if ratio > 0.7 { return String(format: "retrieval made it e^%.1f ≈ %@× more likely", ratio, ratio > 20 ? "10^\(Int(ratio / log(10)))" : String(format: "%.0f", exp(ratio))) }
        if ratio < -0.7 { return String(format: "the question alone made it e^%.1f more likely", -ratio) }
        return "about as likely either way"
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "↵")
    }
}
