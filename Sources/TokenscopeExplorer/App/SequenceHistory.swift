// MARK: - What undo takes back, and work in flight

/// The explorer's sequence history: what each undo takes back, the prompt run in flight, and steps
/// asked for while the model was busy.
///
/// A step from an earlier position branches: the tokens after it are set aside in the step's
/// record, and undoing that step puts them back exactly. A prompt run is only committed when it
/// loads: a refused or cancelled prompt leaves the sequence, the prompt and undo as they were.
public struct SequenceHistory: Sendable, Equatable {
    /// One appended token undo can take back.
    public struct Step: Sendable, Equatable {
        /// Where the token was appended.
        public let position: Int
        /// The tokens that followed the position the step was taken from, set aside by it (empty
        /// for a step at the end of the sequence).
        public let replaced: [TokenInfo]
        /// The position selected before the step.
        public let selectedBefore: Int
    }

    /// A prompt run in flight.
    public struct PendingPrompt: Sendable, Equatable {
        public let text: String
        public let chat: Bool
    }

    /// Steps undo can take back, oldest first.
    public var steps: [Step] = []
    /// The tokens the step in flight sets aside and the selection before it (recorded when its
    /// token arrives).
    var stepInFlight: (replaced: [TokenInfo], selectedBefore: Int)?
    /// The prompt being run; nil once it loaded, failed or was cancelled.
    public var pendingPrompt: PendingPrompt?
    /// Steps asked for (space, Enter) while the model was busy, taken in order when it is free.
    public var queuedSteps = 0
    /// Tokens the current auto-play run has generated (its limit counts these, not the sequence).
    public var autoPlayCount = 0

    /// An empty history.
    public init() {}

    public static func == (a: SequenceHistory, b: SequenceHistory) -> Bool {
        a.steps == b.steps && a.stepInFlight?.replaced == b.stepInFlight?.replaced
            && a.stepInFlight?.selectedBefore == b.stepInFlight?.selectedBefore && a.pendingPrompt == b.pendingPrompt
            && a.queuedSteps == b.queuedSteps && a.autoPlayCount == b.autoPlayCount
    }
}
