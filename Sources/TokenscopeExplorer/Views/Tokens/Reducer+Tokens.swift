import TokenscopeUI

// MARK: - Tokens view commands

extension Reducer {
    /// BPE replay stepping and the comparison toggle. The replay belongs to the selected position:
    /// selecting another token starts it over at the final tokens.
    static func tokensCommand(_ state: inout AppState, _ command: Command) {
        switch command {
        case .toggleComparison:
            state.tokensView.showComparison.toggle()
        case .replayForward, .replayBack:
            guard let analysis = state.analysis, analysis.position == state.selected, let replay = analysis.replay else {
                state.status = "no BPE replay here (special tokens are not merged)"
                return
            }
            let count = replay.stepCount
            let current = state.tokensView.replayPosition == state.selected ? (state.tokensView.replayStep ?? count) : count
            let next = command == .replayForward ? min(count, current + 1) : max(0, current - 1)
            // Stepping back from the end starts the replay; at the end it shows the final tokens again.
            state.tokensView.replayStep = next
            state.tokensView.replayPosition = state.selected
        default:
            break
        }
    }
}
