import TokenscopeTransformer
import TokenscopeUI

// MARK: - Application state

/// The explorer's views, in tab order.
public enum ViewKind: String, CaseIterable, Sendable {
    case tokens, sampling, attention, embeddings, forward, why, search
    /// The sampling view's place when the model is an encoder (see `AppState.tabs`).
    case similarity

    /// The tabs of a decoder, in order (an encoder shows similarity in sampling's place).
    public static let allCases: [ViewKind] = [.tokens, .sampling, .attention, .embeddings, .forward, .why, .search]

    /// The names a view can be given by (`--view`, a lesson's or demo's `view`), in tab order:
    /// `similarity` is the encoder's second tab, where a decoder shows sampling; a number is the tab's.
    public static let viewNames = (allCases.map(\.rawValue) + [ViewKind.similarity.rawValue]).joined(separator: ", ")

    /// The tab title.
    public var title: String {
        switch self {
        case .tokens: "Tokens"
        case .sampling: "Sampling"
        case .attention: "Attention"
        case .embeddings: "Embeddings"
        case .forward: "Forward pass"
        case .why: "Why"
        case .search: "Search"
        case .similarity: "Similarity"
        }
    }
}

/// The single value the explorer renders: everything on screen derives from it.
public struct AppState: Sendable, Equatable {
    /// Terminal size.
    public var width: Int
    public var height: Int
    /// The view on screen.
    public var view: ViewKind = .tokens
    /// The prompt as typed.
    public var prompt: String
    /// Whether the prompt is wrapped as a ChatML user turn.
    public var chat = false
    /// The sequence: prompt tokens, then generated ones.
    public var tokens: [TokenInfo] = []
    /// The selected position, shared by every view.
    public var selected = 0
    /// Analysis of the selected position (nil while it is being computed).
    public var analysis: PositionAnalysis?
    /// Attention layer and head being shown.
    public var layer = 0
    public var head = 0
    /// Sampler settings, changed live.
    public var settings = SamplerSettings()
    /// The candidate highlighted in the sampling view (forced with Enter).
    public var candidate = 0
    /// Whether generation runs on by itself.
    public var autoPlay = false
    /// Token ids under the chips.
    public var showIDs = false
    /// The tokens view's BPE replay and comparison.
    public var tokensView = TokensViewState()
    /// The attention, embeddings and forward views' modes, toggles and data.
    public var attentionView = AttentionViewState()
    public var embeddingsView = EmbeddingsViewState()
    public var forwardView = ForwardViewState()
    /// The Why view: attribution, occlusion and patching.
    public var attributionView = AttributionViewState()
    /// The model picker overlay (`m`), when open.
    public var modelPicker: ModelPickerState?
    /// The search and similarity views (sentence encoder, documents, retrieval-augmented answers).
    public var searchView = SearchViewState()
    public var similarityView = SimilarityViewState()
    /// Whether the model is an encoder: the similarity view replaces sampling, nothing generates.
    public var isEncoder = false
    /// The help overlay.
    public var showHelp = false
    /// The explain panel, the lesson in progress, the lesson list, the glossary and the welcome.
    public var teaching = TeachingState()
    /// The first help entry shown when the help is longer than the screen (↑/↓ scroll it).
    public var helpScroll = 0
    /// The prompt editor, when open.
    public var editor: PromptEditor?
    /// Prompts run before, oldest first (the editor's ↑/↓ history).
    public var promptHistory: [String] = []
    /// What undo takes back, the prompt run in flight and steps queued while busy.
    public var history = SequenceHistory()
    /// Model work in progress (shown in the footer).
    public var busy: String?
    /// The last message for the user.
    public var status = ""
    /// The model's name and size.
    public var modelSummary = ""
    /// The tokenizer's kind and pre-tokenizer, named in the tokens view.
    public var tokenizerSummary = ""
    /// Blocks and heads, for the attention view's bounds.
    public var layerCount = 1
    public var headCount = 1
    public var kvHeadCount = 1
    /// Each layer's sliding window in tokens (nil: the layer sees the whole past), for the
    /// attention view's mask; empty for models without windows.
    public var attentionWindows: [Int?] = []
    /// Bytes one position takes in the KV cache (keys and values of every layer).
    public var kvBytesPerToken = 0
    /// The model's context window in tokens (0 when unknown).
    public var contextLength = 0
    /// Whether the user asked to quit.
    public var quitting = false
    /// `q` was pressed while text would be lost; a second `q` or `y` quits, any other key stays.
    public var confirmingQuit = false
    /// Presenter mode: the main figure of the view drawn big, little chrome (`b`, `--present`).
    public var presenting = false
    /// The user asked to save the screen (`S`); the front end writes the files and answers with
    /// `.notice`.
    public var saveRequested = false
    /// Side by side in the sampling view: the second sampler settings (nil: not split).
    public var comparison: SamplerSettings?
    /// Whether the setting keys change the second settings (the right side).
    public var editingComparison = false
    /// Side by side of two prompts (sampling and attention views): the second prompt and its data.
    public var secondPrompt = PromptComparison()
    /// Milliseconds of the prefill and the decode steps.
    public var timings: [StepTiming] = []
    /// Decoded text of vocabulary entries the views name (candidates, lens predictions), filled by
    /// the runtime with each analysis so rendering needs no tokenizer.
    public var vocabularyText: [Int: String] = [:]

    /// A fresh state for `prompt` on a `width` × `height` terminal.
    public init(prompt: String, width: Int, height: Int) {
        self.prompt = prompt
        self.width = width
        self.height = height
    }

    /// The sampling result at the selected position with the current settings, from stored logits.
    public var sampling: SamplingResult? {
        guard let analysis, analysis.position == selected, !analysis.logits.isEmpty else { return nil }
        return Sampler.sample(logits: analysis.logits, settings: settings, position: selected + 1, listing: max(12, height))
    }

    /// The sliding window of `layer`, or nil when it sees the whole past.
    public func attentionWindow(layer: Int) -> Int? {
        layer >= 0 && layer < attentionWindows.count ? attentionWindows[layer] : nil
    }

    /// Whether any layer of the model attends within a sliding window.
    public var hasAttentionWindows: Bool { attentionWindows.contains { $0 != nil } }

    /// The views in tab order: an encoder shows similarity where a decoder shows sampling.
    public var tabs: [ViewKind] {
        ViewKind.allCases.map(shown)
    }

    /// `view` as this model shows it (sampling and similarity share a place).
    public func shown(_ view: ViewKind) -> ViewKind {
        switch view {
        case .sampling where isEncoder: .similarity
        case .similarity where !isEncoder: .sampling
        default: view
        }
    }

    /// Smallest terminal the explorer draws in.
    public static let minimumSize = (width: 40, height: 12)
}
