import Foundation
import TokenscopeTransformer

// MARK: - The Why view's data

extension LiveExplorerEngine {
    /// Direct logit attribution, occlusion and patching for the Why view. Each runs the sequence up
    /// to the position in sessions of its own (the explorer's session and its trace stay as they
    /// are); occlusion and patching report progress and stop when `shouldCancel` says so.
    public func inspect(_ request: InspectRequest, progress: (Double) -> Void, shouldCancel: () -> Bool) -> InspectResult {
        do {
            switch request {
            case .attribution(let position, let target):
                let ids = try prefix(through: position)
                let attribution = try model.attribute(ids, position: position, target: target)
                return .attribution(AttributionReport(tokenIDs: session.tokens, attribution: attribution, targetText: text(of: attribution.target)))
            case .occlusion(let position, let target):
                let ids = try prefix(through: position)
                let occlusion = try model.occlusion(ids, target: target, progress: { progress(Double($0) / Double(max(1, $1))) }, shouldCancel: shouldCancel)
                return .occlusion(OcclusionReport(tokenIDs: session.tokens, position: position, occlusion: occlusion, targetText: text(of: occlusion.target)))
            case .patching(let position, let corrupt):
                return .patching(try patching(position: position, corrupt: corrupt, progress: progress, shouldCancel: shouldCancel))
            default:
                return inspect(request)
            }
        } catch {
            if case .cancelled? = error as? ModelError { return .failed(request, "cancelled") }
            return .failed(request, "error: \(error)")
        }
    }

    /// The sequence's tokens 0…position.
    func prefix(through position: Int) throws -> [Int] {
        guard position >= 0, position < session.count else {
            throw ModelError.invalidRequest("position \(position) is outside the sequence 0..<\(session.count)")
        }
        return Array(session.tokens[0...position])
    }

    /// Patches the residual stream at every layer × position (when the corrupted prompt has as
    /// many tokens as the clean run) and every head's output at the last position, clean run = the
    /// sequence up to `position`, with the default metric (clean top-1 against corrupted top-1).
    func patching(position: Int, corrupt: String, progress: (Double) -> Void, shouldCancel: () -> Bool) throws -> PatchingReport {
        let clean = try prefix(through: position)
        let corruptIDs = model.promptTokens(corrupt)
        let c = model.configuration
        guard !corruptIDs.isEmpty else { throw ModelError.invalidRequest("the corrupted prompt has no tokens: type one") }
        guard corruptIDs.count <= c.contextLength else {
            throw ModelError.invalidRequest("the corrupted prompt is \(corruptIDs.count) tokens, longer than the model's context of \(c.contextLength)")
        }
        let sameLength = clean.count == corruptIDs.count
        let residualRuns = sameLength ? c.blockCount * clean.count : 0
        let total = Double(residualRuns + c.blockCount * c.headCount)
        let start = ContinuousClock.now
        var residual: PatchingResult?
        var note: String?
        if sameLength {
            residual = try model.patchResidualStream(
                clean: clean, corrupt: corruptIDs, progress: { done, _ in progress(Double(done) / total) }, shouldCancel: shouldCancel)
        } else {
            note = "per-position patching needs as many tokens in both prompts: the clean run has \(clean.count), the corrupted prompt \(corruptIDs.count)"
        }
        let heads = try model.patchHeads(
            clean: clean, corrupt: corruptIDs, answer: residual?.metric.answer, other: residual?.metric.other,
            progress: { done, _ in progress(Double(residualRuns + done) / total) }, shouldCancel: shouldCancel)
        let elapsed = ContinuousClock.now - start
        return PatchingReport(
            tokenIDs: session.tokens, position: position, corrupt: corrupt, corruptTokens: corruptIDs.map { text(of: $0) },
            answerText: text(of: heads.metric.answer), otherText: text(of: heads.metric.other), residual: residual, residualNote: note,
            heads: heads, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
