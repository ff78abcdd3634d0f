import Foundation
import TokenscopeTransformer

// MARK: - Ablation runs

extension LiveExplorerEngine {
    /// Candidates each side of the diff panel.
    static let diffCandidates = 8

    /// Re-runs the sequence up to `position` with `ablations` switched off (a new session with
    /// hooks; the explorer's own session and its trace stay as they are) and compares the
    /// next-token distribution after `position` with the unedited one.
    func ablationDiff(position: Int, ablations: [AblationTarget]) throws -> AblationDiff {
        guard position >= 0, position < session.count else {
            throw ModelError.invalidRequest("position \(position) is outside the sequence 0..<\(session.count)")
        }
        let ids = Array(session.tokens[0...position])
        let clock = ContinuousClock.now
        let after = try model.run(ids, interventions: ablations.map(\.intervention)).session.lastLogits
        let elapsed = ContinuousClock.now - clock
        let before = try session.logits(at: position)
        let (rows, divergence) = AblationDiff.between(before: before, after: after, count: Self.diffCandidates) { self.text(of: $0) }
        return AblationDiff(
            tokenIDs: session.tokens, position: position, ablations: ablations, rows: rows, divergence: divergence,
            milliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
}
