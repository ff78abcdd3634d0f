import TokenscopeTransformer
import TokenscopeUI

// MARK: - Actions and effects

/// Everything that can happen to the explorer: input, and model work coming back.
public enum Action: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// A mouse click at a cell, or the wheel (+1 down, −1 up).
    case click(x: Int, y: Int)
    case scroll(Int)
    /// A click on a token the frame showed (its sequence position): see `ExplorerRuntime.send(_:frame:)`.
    case clickToken(Int)
    /// A click on the tab of a view.
    case clickTab(Int)
    /// Text pasted into the terminal (bracketed paste), as one piece; `dropped` characters past the
    /// paste limit were not kept; `replaced` sequences of bytes that were not UTF-8 are in the text
    /// as U+FFFD.
    case paste(String, dropped: Int, replaced: Int = 0)
    /// The prompt was (re)run.
    case loaded([TokenInfo], timings: [StepTiming])
    /// One token was appended.
    case appended(TokenInfo, timings: [StepTiming])
    /// The sequence was cut back to `count` tokens.
    case rewound(count: Int, timings: [StepTiming])
    /// Tokens set aside by a step were put back after position `from`; `select` is selected again.
    case restored(tokens: [TokenInfo], from: Int, select: Int, timings: [StepTiming])
    /// An analysis finished.
    case analysed(PositionAnalysis)
    /// Model work failed; the message is for the user.
    case failed(String)
    /// Part of a running prompt's prefill is done (0…1).
    case progress(Double)
    /// Part of a long view request (occlusion, patching) is done (0…1).
    case working(InspectRequest, Double)
    /// View data arrived (attention, embeddings, forward pass).
    case inspected(InspectResult)
    /// A layer request was skipped because a newer one was issued before it started (keys
    /// pressed faster than layers compute); the reducer asks again if it is still wanted.
    case superseded(InspectRequest)
    /// Put the explorer in a prepared state (launch options, a demo script's step, a lesson step).
    case setup(Setup)
    /// A message from the front end for the status line (a saved screen's path, or why not).
    case notice(String)
    /// Lessons, the glossary and the welcome (see `TeachingAction`).
    case teaching(TeachingAction)
    /// The models at hand, for the model picker, and the path of the one loaded.
    case modelsListed([CatalogEntry], current: String?)
    /// The runtime switched to another model (its facts); the prompt runs again on it.
    case modelSwitched(EngineFacts)
    /// Retrieval work came back (similarity, index, search, answer).
    case retrieved(RetrievalResult)
    /// Retrieval work in progress, as a line (`embedding chunks 120/800`).
    case retrievalProgress(String)
    /// The other kind of model answered for the attention view's comparison (`d`).
    case crossModelAnswered(CrossModelResult)
}

extension Action {
    /// The action for a terminal event (clicks not yet resolved against the frame).
    public init(_ event: InputEvent) {
        switch event {
        case .key(let key): self = .key(key)
        case .resize(let width, let height): self = .resize(width: width, height: height)
        case .click(let x, let y): self = .click(x: x, y: y)
        case .scroll(let delta): self = .scroll(delta)
        case .paste(let text, let dropped, let replaced): self = .paste(text, dropped: dropped, replaced: replaced)
        }
    }
}

/// Model work the reducer asks the runtime to do off the main thread.
public enum Effect: Sendable, Equatable {
    case reset(prompt: String, chat: Bool)
    /// Sample (or force) the next token, append it, run one decode step.
    case append(id: Int)
    case rewind(to: Int)
    /// Cut the sequence back to `from` tokens and append `tokens` again (undo of a branching step).
    case restore(from: Int, tokens: [TokenInfo], select: Int)
    /// Stop the prompt run in flight; the previous sequence stays.
    case cancelPrompt
    /// Stop the long view request in flight (occlusion, patching); it answers `.failed`.
    case cancelInspection
    case analyse(position: Int)
    /// Compute data for the attention, embeddings or forward view.
    case inspect(InspectRequest)
    /// List the models the picker offers.
    case listModels
    /// Load the model at `path` and make it the engine (the old one stays if it fails).
    case switchModel(path: String)
    /// Sentence embeddings, documents, search or an answer with retrieval.
    case retrieve(RetrievalRequest)
    /// Run the text on the other kind of model (loaded on first use) and read its matching layer.
    case crossModel(CrossModelRequest)
}
