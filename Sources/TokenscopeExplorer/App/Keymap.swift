import TokenscopeTransformer
import TokenscopeUI

// MARK: - The keymap

/// What a key does; one table drives both key handling and the help overlay.
public enum Command: Sendable, Equatable {
    case quit, quitNow, help, edit, nextView, previousView, show(ViewKind)
    case togglePresenter, saveScreen, toggleSplit, switchSide, swapSides, editSecondPrompt, swapPrompts
    case selectPrevious, selectNext, selectFirst, selectLast, selectBy(Int)
    case layerUp, layerDown, headPrevious, headNext
    case toggleIDs, toggleChat
    case attentionMode(AttentionViewState.Mode), attentionToggle(AttentionViewState.Toggle), zoom(Int), openHead, lookUp
    case ablateHead, ablateMLP, clearAblations
    case whyMode(AttributionViewState.Mode), targetPrevious, targetNext, typeCorrupt, cancelWork
    case replayForward, replayBack, toggleComparison
    case step, undo, force, candidateUp, candidateDown, autoPlay
    case adjust(SamplerSettings.Knob, Int), reseed
    case explain, lessonList, glossary, lessonNext, lessonBack, lessonHint, lessonPanel
    case modelPicker, toggleCrossModel
    case retrieval(RetrievalCommand)
}

/// One row of the keymap.
public struct KeyBinding: Sendable {
    /// The keys.
    public let keys: [Key]
    /// How the help and footer spell them.
    public let label: String
    /// What they do.
    public let help: String
    /// The views where they apply (nil = everywhere).
    public let views: Set<ViewKind>?
    /// The command.
    public let command: Command
    /// The footer's short name for it (`sample`, `next view`), nil when the footer does not list it.
    public let footerLabel: String?

    /// Whether the help overlay has a row for it; false for the second key of a pair (`→` of
    /// `←/→`), which the first row's label and text already cover.
    public var listed: Bool = true

    /// Whether the footer lists it.
    public var inFooter: Bool { footerLabel != nil }
}

/// The keymap table.
public enum Keymap {
    /// A binding; `footer` is its short footer label (nil: help only).
    static func bind(_ keys: [Key], _ label: String, _ help: String, _ views: Set<ViewKind>? = nil, _ command: Command, footer: String? = nil) -> KeyBinding {
        KeyBinding(keys: keys, label: label, help: help, views: views, command: command, footerLabel: footer)
    }

    /// The second key of a pair whose first binding's label and help cover both (`→` after `←/→`).
    static func partner(_ keys: [Key], _ label: String, _ help: String, _ views: Set<ViewKind>? = nil, _ command: Command) -> KeyBinding {
        var binding = bind(keys, label, help, views, command)
        binding.listed = false
        return binding
    }

    /// A binding listed in the footer under a label derived from its help (`footer: true`); prefer
    /// an explicit short label (`footer: "sample"`).
    static func bind(_ keys: [Key], _ label: String, _ help: String, _ views: Set<ViewKind>? = nil, _ command: Command, footer: Bool) -> KeyBinding {
        bind(keys, label, help, views, command, footer: footer ? shortLabel(help) : nil)
    }

    /// A footer label from a help text: the part before any parenthesis or colon, without leading
    /// articles and verbs of selection, at most three words (`"select the previous / next token"` →
    /// `"previous / next token"`).
    static func shortLabel(_ help: String) -> String {
        var text = help
        for stop in [" (", ":", ";", " — "] { if let range = text.range(of: stop) { text = String(text[..<range.lowerBound]) } }
        var words = text.split(separator: " ").map(String.init)
        while words.count > 1, ["select", "the", "a", "an", "show", "toggle"].contains(words[0].lowercased()) { words.removeFirst() }
        return words.prefix(words.contains("/") ? 4 : 3).joined(separator: " ")
    }

    /// Every binding, view-specific ones first so they win over global ones.
    public static let bindings: [KeyBinding] = [
        bind([.enter, .character("w")], "⏎/w", "type a question (searched by meaning and by keywords)", [.search], .retrieval(.typeQuery), footer: "question"),
        bind([.character("r")], "r", "answer with retrieval: the top chunks and the question into the decoder's prompt", [.search], .retrieval(.answer), footer: "answer (RAG)"),
        bind([.character("d")], "d", "documents: a text file or a folder to search", [.search], .retrieval(.chooseDocuments), footer: "documents"),
        bind([.character("k")], "k/K", "fewer / more results (and chunks sent)", [.search], .retrieval(.results(-1)), footer: "results"),
        partner([.character("K")], "K", "more results", [.search], .retrieval(.results(1))),
        bind([.up], "↑/↓", "select a sentence", [.similarity], .retrieval(.selectSentence(-1)), footer: "sentence"),
        partner([.down], "↓", "select the next sentence", [.similarity], .retrieval(.selectSentence(1))),
        bind([.enter], "⏎", "edit the selected sentence", [.similarity], .retrieval(.editSentence), footer: "edit sentence"),
        bind([.character("a")], "a", "add a sentence", [.similarity], .retrieval(.addSentence), footer: "add"),
        bind([.character("x")], "x", "remove the selected sentence", [.similarity], .retrieval(.removeSentence), footer: "remove"),
        bind([.up], "↑/↓", "previous / next layer", [.attention, .embeddings, .forward, .why], .layerUp, footer: "layer"),
        partner([.down], "↓", "next layer", [.attention, .embeddings, .forward, .why], .layerDown),
        // ←/→ select the token in every view; the attention view's head has keys of its own, listed
        // early so the footer shows both at any width.
        bind([.left], "←/→", "select the previous / next token", [.attention], .selectPrevious, footer: "token"),
        partner([.right], "→", "select the next token", [.attention], .selectNext),
        bind([.character(","), .character("<")], ",/.", "previous / next head", [.attention, .why], .headPrevious, footer: "head"),
        partner([.character("."), .character(">")], ".", "next head", [.attention, .why], .headNext),
        bind([.enter], "⏎", "open the head under the cursor", [.attention], .openHead, footer: "open head"),
        bind([.character("h")], "h", "all heads of the layer", [.attention], .attentionMode(.layer), footer: "all heads"),
        bind([.character("o")], "o", "model overview: every layer × head", [.attention], .attentionMode(.overview), footer: "overview"),
        bind([.escape], "Esc", "back to the single head", [.attention], .attentionMode(.head)),
        bind([.character("l")], "l", "log colour scale on / off", [.attention], .attentionToggle(.logScale), footer: "log scale"),
        bind([.character("f")], "f", "hide the first token (attention sink)", [.attention], .attentionToggle(.hideFirst), footer: "hide sink"),
        bind([.character("v")], "v", "average over the layer's heads", [.attention], .attentionToggle(.averageHeads), footer: "average"),
        bind([.character("s")], "s", "pre-softmax scores on / off", [.attention], .attentionToggle(.scores), footer: "scores"),
        bind([.character("-")], "-/+", "zoom out / in (cells averaged)", [.attention], .zoom(1), footer: "zoom"),
        partner([.character("+"), .character("=")], "+", "zoom in", [.attention], .zoom(-1)),
        bind([.enter, .character("w")], "⏎/w", "look up a word or an analogy (king - man + woman)", [.embeddings], .lookUp, footer: "look up"),
        bind([.character("x")], "x", "ablate / restore the selected head (the next-token diff re-runs)", [.attention], .ablateHead, footer: "ablate"),
        bind([.character("X")], "X", "ablate / restore the layer's MLP", [.attention], .ablateMLP),
        bind([.character("C")], "C", "clear every ablation", [.attention], .clearAblations),
        bind([.character("d")], "d", "direct logit attribution: each head's and MLP's part of the target's logit", [.why], .whyMode(.logit), footer: "logit parts"),
        bind([.character("o")], "o", "occlusion: the prompt coloured by how much each token matters", [.why], .whyMode(.occlusion), footer: "occlusion"),
        bind([.character("p")], "p", "activation patching: the last result, or how to start one", [.why], .whyMode(.patching), footer: "patching"),
        bind([.character("c")], "c", "patching: type a corrupted prompt; ⏎ patches the clean run (up to the selected token) into it", [.why], .typeCorrupt, footer: "corrupt"),
        bind([.character("]")], "[/]", "target: the next / previous candidate (default the top one)", [.why], .targetNext, footer: "target"),
        partner([.character("[")], "[", "target: the previous candidate", [.why], .targetPrevious),
        bind([.escape], "Esc", "cancel the running occlusion or patching", [.why], .cancelWork),
        bind([.up], "↑/↓", "highlight a candidate", [.sampling], .candidateUp, footer: "candidate"),
        partner([.down], "↓", "highlight the next candidate", [.sampling], .candidateDown),
        bind([.enter], "⏎", "force the highlighted candidate (a branch)", [.sampling], .force, footer: "force"),
        bind([.character("t")], "t/T", "temperature − / + 0.1", [.sampling], .adjust(.temperature, -1), footer: "temp"),
        partner([.character("T")], "T", "temperature + 0.1", [.sampling], .adjust(.temperature, 1)),
        bind([.character("k")], "k/K", "top-k − / + 5 (0 = off)", [.sampling], .adjust(.topK, -1), footer: "top-k"),
        partner([.character("K")], "K", "top-k + 5", [.sampling], .adjust(.topK, 1)),
        bind([.character("p")], "p/P", "top-p − / + 0.05 (1 = off)", [.sampling], .adjust(.topP, -1), footer: "top-p"),
        partner([.character("P")], "P", "top-p + 0.05", [.sampling], .adjust(.topP, 1)),
        bind([.character("m")], "m/M", "min-p − / + 0.01 (0 = off)", [.sampling], .adjust(.minP, -1), footer: "min-p"),
        partner([.character("M")], "M", "min-p + 0.01", [.sampling], .adjust(.minP, 1)),
        bind([.character("s")], "s", "new seed", [.sampling], .reseed),
        bind([.character("|")], "|", "side by side: a second sampler setting, again: a second prompt (Δp), again: off", [.sampling], .toggleSplit),
        bind([.character("|")], "|", "side by side: the same head on a second prompt, again: off", [.attention], .toggleSplit),
        bind([.character("d")], "d", "beside: the same head of the other kind of model (encoder ↔ decoder) on the same text, at the same relative depth", [.attention], .toggleCrossModel, footer: "beside"),
        bind([.character("E")], "E", "side by side: edit the second prompt (B); e edits A", [.sampling, .attention], .editSecondPrompt),
        bind([.character("W")], "W", "side by side: swap the two prompts", [.sampling, .attention], .swapPrompts),
        bind([.character("\\")], "\\", "side by side: the setting keys change the other side", [.sampling], .switchSide),
        bind([.character("X")], "X", "side by side: swap the two settings", [.sampling], .swapSides),
        bind([.character("i")], "i", "token ids under the chips", [.tokens], .toggleIDs, footer: "ids"),
        bind([.character("c")], "c", "wrap the prompt as a ChatML user turn", [.tokens], .toggleChat, footer: "chat"),
        bind([.character("]")], "[/]", "BPE replay: one merge back / forward", [.tokens], .replayForward, footer: "replay"),
        partner([.character("[")], "[", "BPE replay: one merge back", [.tokens], .replayBack),
        bind([.character("x")], "x", "compare tokenizers on / off", [.tokens], .toggleComparison),
        bind([.left], "←/→", "select the previous / next token", nil, .selectPrevious, footer: "token"),
        partner([.right], "→", "select the next token", nil, .selectNext),
        bind([.home], "Home/End", "select the first / last token", nil, .selectFirst),
        partner([.end], "End", "select the last token", nil, .selectLast),
        bind([.pageUp], "PgUp/PgDn", "select 10 tokens earlier / later", nil, .selectBy(-10)),
        partner([.pageDown], "PgDn", "select 10 tokens later", nil, .selectBy(10)),
        bind([.character(" "), .character("n")], "space", "sample one token and run one decode step", nil, .step, footer: "step"),
        bind([.character("u"), .backspace], "u", "undo the last token (rewinds the KV cache)", nil, .undo, footer: "undo"),
        bind([.character("a")], "a", "auto-play until a key, the end or 256 tokens", nil, .autoPlay),
        bind([.tab], "Tab", "next view", nil, .nextView, footer: "view"),
        bind([.backTab], "S-Tab", "previous view", nil, .previousView),
        bind([.character("1")], "1–7", "the views, as numbered in the tabs", nil, .show(.tokens)),
        partner([.character("2")], "2", "sampling view", nil, .show(.sampling)),
        partner([.character("3")], "3", "attention view", nil, .show(.attention)),
        partner([.character("4")], "4", "embeddings view", nil, .show(.embeddings)),
        partner([.character("5")], "5", "forward-pass view", nil, .show(.forward)),
        partner([.character("6")], "6", "Why view: attribution, occlusion, patching", nil, .show(.why)),
        partner([.character("7")], "7", "search view", nil, .show(.search)),
        bind([.character("e"), .character("/")], "e", "edit the prompt", nil, .edit, footer: "edit"),
        bind([.character("y")], "y", "explain what this view shows, with its numbers", nil, .explain, footer: "explain"),
        bind([.character("L")], "L", "lessons: a guided course on the live model", nil, .lessonList, footer: "lessons"),
        bind([.character("g")], "g", "glossary: search the terms the screens use", nil, .glossary),
        bind([.character("}")], "{/}", "lesson: previous / next step (restores the step)", nil, .lessonNext),
        partner([.character("{")], "{", "lesson: previous step", nil, .lessonBack),
        bind([.character("H")], "H", "lesson: show a hint for the task", nil, .lessonHint),
        bind([.character("Z")], "Z", "lesson: expand / collapse the narration", nil, .lessonPanel),
        // `m` is min-p in the sampling view (bound above); the picker opens from every other view.
        bind([.character("m")], "m", "models: switch to another cached model (the prompt is kept)", [.tokens, .attention, .embeddings, .forward], .modelPicker),
        bind([.character("?")], "?", "this help", nil, .help, footer: "help"),
        bind([.character("b")], "b", "presenter mode: the main figure big, little chrome", nil, .togglePresenter),
        bind([.character("S")], "S", "save the screen as SVG and text (in TOKENSCOPE_EXPORT_DIR, else here)", nil, .saveScreen),
        bind([.character("q")], "q", "quit (asks first when text would be lost; Ctrl-C quits at once)", nil, .quit, footer: "quit"),
        bind([.control("c")], "C-c", "quit at once", nil, .quitNow),
    ]

    /// The command `key` triggers in `view`.
    public static func command(for key: Key, in view: ViewKind) -> Command? {
        bindings.first { $0.keys.contains(key) && ($0.views?.contains(view) ?? true) }?.command
    }

    /// The bindings that apply in `view`, for the footer and help.
    public static func bindings(in view: ViewKind) -> [KeyBinding] {
        var seen = Set<String>()
        return bindings.filter { ($0.views?.contains(view) ?? true) && seen.insert($0.label).inserted }
    }
}
