import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - Every word a view draws is explained or plain

/// How a drawn term is recognised (also in Docs/LESSONS.md): every view is rendered at 120×40 on
/// the default prompts, in each of its modes, with help and editor overlays. From the screen text,
/// every glossary term and alias found (longest first, whole words, any case) counts as explained
/// and is blanked out. The remaining words (runs of letters, digits, `-` and `_`, not only digits)
/// must be model output on screen (token texts, vocabulary strings and bytes, candidates,
/// neighbours, lens predictions — any word of those), a glossary entry (plural `s` allowed), a word
/// of `Assets/Glossary/plain-words.txt` (the everyday English words and key names the screens use),
/// an overview label (`L12`, `H3`), or a word cut by the screen edge or an overlay (a prefix or
/// suffix of a word known by the rules above). A new technical word on a screen therefore fails
/// until it has a glossary entry (or is argued plain in that list).
@Suite("Glossary covers every screen term", .serialized, .enabled(if: LessonsRealModel.isPresent))
struct LessonsGlossaryScreenTermsTests {
    /// One screen to scan: a prompt, whether it is a chat turn, a view and keys.
    struct Screen {
        let prompt: String
        let view: ViewKind
        let keys: String
        var chat = false
    }

    static let defaultPrompt = "The capital of France is"

    /// The screens: every view, every attention mode and toggle, the help of each view, the editor,
    /// a generated token, a chat turn, an analogy, a word of several tokens.
    static let screens: [Screen] = {
        var out: [Screen] = []
        for view in ViewKind.allCases {
            out.append(Screen(prompt: defaultPrompt, view: view, keys: ""))
            out.append(Screen(prompt: defaultPrompt, view: view, keys: "?"))
            out.append(Screen(prompt: defaultPrompt, view: view, keys: " "))
            out.append(Screen(prompt: defaultPrompt, view: view, keys: "y"))
        }
        for keys in ["h", "o", "s", "l", "f", "v", "-", "<Down><Right><Enter>"] { out.append(Screen(prompt: defaultPrompt, view: .attention, keys: keys)) }
        out.append(Screen(prompt: defaultPrompt, view: .tokens, keys: "i[[", chat: false))
        out.append(Screen(prompt: "How many r are in strawberry", view: .tokens, keys: "[", chat: true))
        out.append(Screen(prompt: defaultPrompt, view: .tokens, keys: "e"))
        out.append(Screen(prompt: defaultPrompt, view: .sampling, keys: "tttttttt"))
        out.append(Screen(prompt: defaultPrompt, view: .sampling, keys: "kkkkkkkkpppppppmmmmm"))
        out.append(Screen(prompt: defaultPrompt, view: .embeddings, keys: "wking - man + woman<Enter>"))
        out.append(Screen(prompt: defaultPrompt, view: .embeddings, keys: "wstrawberry<Enter><Down>"))
        out.append(Screen(prompt: defaultPrompt, view: .forward, keys: "<Down><Down>"))
        out.append(Screen(prompt: defaultPrompt, view: .attention, keys: "oy"))
        for keys in ["o", "p", "oy", "]", "cThe capital of Spain is<Enter>", "py"] { out.append(Screen(prompt: defaultPrompt, view: .why, keys: keys)) }
        out.append(Screen(prompt: defaultPrompt, view: .tokens, keys: "gsink"))
        out.append(Screen(prompt: defaultPrompt, view: .tokens, keys: "<Esc>L"))
        out.append(Screen(prompt: defaultPrompt, view: .sampling, keys: "||"))
        out.append(Screen(prompt: defaultPrompt, view: .sampling, keys: "||<Enter>"))
        out.append(Screen(prompt: defaultPrompt, view: .attention, keys: "|<Enter>"))
        out.append(Screen(prompt: defaultPrompt, view: .attention, keys: "|<Enter>|"))
        // The encoder's head beside the decoder's (`d`), and its explanation.
        out.append(Screen(prompt: defaultPrompt, view: .attention, keys: "d"))
        out.append(Screen(prompt: defaultPrompt, view: .attention, keys: "<Down><Down>.dy"))
        out.append(Screen(prompt: defaultPrompt, view: .search, keys: "<Enter>Which bird nests on Pell Rock?<Enter>"))
        out.append(Screen(prompt: defaultPrompt, view: .search, keys: "<Enter>Which bird nests on Pell Rock?<Enter>r"))
        // Last (the lesson stays open): the next-token lesson's guess step, its field, then its verdict.
        out.append(Screen(prompt: defaultPrompt, view: .tokens, keys: "<Esc>L<Enter>}}"))
        out.append(Screen(prompt: "The opposite of hot is", view: .tokens, keys: "Bordeaux<Enter><Space>"))
        return out
    }()

    @Test func everyDrawnTermHasAGlossaryEntry() throws {
        let glossary = try Glossary.shipped()
        let plain = try Self.plainWords()
        let engine = try LessonsRealModel.engine()
        var unknown: [String: Set<String>] = [:]  // word → screens
        var runtime: ExplorerRuntime?
        for screen in Self.screens {
            let r = runtime ?? ExplorerRuntime(engine: engine, prompt: screen.prompt, width: 120, height: 40, synchronous: true)
            if runtime == nil { r.send(.teaching(.catalogue(try LessonLibrary.shipped(), progress: [:], tokenIDs: [:], glossary: glossary))) }
            // The comparison's other model: MiniLM when it is in the cache (else it says there is none).
            if runtime == nil, let folder = try? ModelFixture.requireMiniLMFolder() {
                r.crossModelLoader = { _ in EncoderExplorerEngine(encoder: try SentenceEncoder(folder: folder)) }
            }
            runtime = r
            var setup = Setup()
            setup.exact = true
            setup.prompt = screen.prompt
            setup.chat = screen.chat
            setup.view = screen.view
            r.send(.setup(setup))
            for key in Key.parse(screen.keys) { r.send(.key(key)) }
            let text = Renderer.render(r.state, theme: .monochrome).plainText
            let name = "\(screen.view.rawValue) \(screen.keys.isEmpty ? "" : "after \(screen.keys)")"
            for word in Self.unexplainedWords(text, state: r.state, glossary: glossary, plain: plain) {
                unknown[word, default: []].insert(name)
            }
        }
        for (word, screens) in unknown.sorted(by: { $0.key < $1.key }) {
            Issue.record("'\(word)' is drawn (\(screens.sorted().joined(separator: "; "))) but has no glossary entry and is not in plain-words.txt")
        }
    }

    /// Words of `Assets/Glossary/plain-words.txt`, lower-cased.
    static func plainWords() throws -> Set<String> {
        let url = try AssetLocator.root().appendingPathComponent("Glossary/plain-words.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return Set(text.split(separator: "\n").flatMap { line -> [String] in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return content.split(separator: " ").map { $0.lowercased() }
        })
    }

    /// Runs of letters, digits, `-` and `_` (trimmed of `-`), lower-cased; pure numbers dropped.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        func flush() {
            let word = current.trimmingCharacters(in: CharacterSet(charactersIn: "-_"))
            if !word.isEmpty, !word.allSatisfy({ $0.isNumber }) { out.append(word.lowercased()) }
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "-" || character == "_" { current.append(character) } else { flush() }
        }
        flush()
        return out
    }

    /// The words of `screen` no glossary term, model output or plain word accounts for.
    static func unexplainedWords(_ screen: String, state: AppState, glossary: Glossary, plain: Set<String>) -> Set<String> {
        var modelText = state.tokens.flatMap { [$0.text, $0.piece, $0.bytes.map { String(format: "%02X", $0) }.joined(separator: " ")] }
        modelText += Array(state.vocabularyText.values) + [state.prompt]
        modelText += [state.secondPrompt.prompt] + state.secondPrompt.tokens.flatMap { [$0.text, $0.piece] }
        // A lesson's guess (the learner's text) and the tokens the model read it as.
        if let guess = state.teaching.guess { modelText += [guess.text] + (guess.report?.readings.flatMap(\.texts) ?? []) }
        if let report = state.embeddingsView.report {
            modelText += (report.neighbours + report.staticNeighbours + report.contextualNeighbours).flatMap { [$0.text, $0.label] }
            modelText += [report.queryLabel] + report.terms.map(\.word) + report.points.map(\.label)
        }
        // The documents the search view shows (their chunks and file names) and the decoder's
        // answers with and without them: text the view quotes, not words of its own.
        let search = state.searchView
        if let report = search.report {
            modelText += [report.query, report.path] + (report.semantic + report.keyword).flatMap { [$0.text, $0.source] }
        }
        if let answer = search.answer {
            modelText += [answer.question, answer.prompt, answer.bareAnswer] + answer.answer.map(\.text) + answer.attended.map(\.text)
        }
        modelText += [search.query, search.documentsPath]
        modelText += state.analysis?.comparisons.flatMap(\.pieces) ?? []
        // The other model of the attention view's comparison: its name and its tokens of the text.
        if let other = state.attentionView.crossModel.data { modelText += [other.name] + other.tokens.flatMap { [$0.text, $0.piece] } }
        if let replay = state.analysis?.replay { modelText += replay.initial + Array(replay.labels.values) }
        let modelWords = Set(words(modelText.joined(separator: " ")))
        let phrases = glossary.entries.flatMap { [$0.term] + $0.aliases }.sorted { $0.count > $1.count }
        let known = Set(words(phrases.joined(separator: " "))).union(plain).union(modelWords)
        var unexplained = Set<String>()
        for line in screen.split(separator: "\n") {
            var rest = " " + line.lowercased() + " "
            for phrase in phrases {
                rest = blank(phrase.lowercased(), in: rest)
            }
            for word in words(rest) where !known.contains(word) && glossary.entry(word) == nil {
                if isLayerOrHeadLabel(word) || isClipped(word, known) { continue }
                unexplained.insert(word)
            }
        }
        return unexplained
    }

    /// `L12`, `H3`: the overview's layer and head numbers (explained by the `overview` entry).
    static func isLayerOrHeadLabel(_ word: String) -> Bool {
        word.count >= 2 && (word.hasPrefix("l") || word.hasPrefix("h")) && word.dropFirst().allSatisfy(\.isNumber)
    }

    /// A word cut by the screen edge or an overlay (`toke` of `token`): a prefix or suffix of a known word.
    static func isClipped(_ word: String, _ known: Set<String>) -> Bool {
        known.contains { $0.count > word.count && ($0.hasPrefix(word) || $0.hasSuffix(word)) }
    }

    /// `text` with every whole-word occurrence of `phrase` replaced by spaces.
    static func blank(_ phrase: String, in text: String) -> String {
        var text = text
        var searchStart = text.startIndex
        while let range = text.range(of: phrase, range: searchStart..<text.endIndex) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : " "
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : " "
            let isWordCharacter = { (c: Character) in c.isLetter || c.isNumber || c == "_" }
            if isWordCharacter(before) || isWordCharacter(after) {
                searchStart = range.upperBound
                continue
            }
            text.replaceSubrange(range, with: String(repeating: " ", count: phrase.count))
            searchStart = text.index(range.lowerBound, offsetBy: phrase.count, limitedBy: text.endIndex) ?? text.endIndex
        }
        return text
    }
}
