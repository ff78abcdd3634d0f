import Testing
import TokenscopeUI
@testable import TokenscopeTerminal

// MARK: - Bracketed paste and key decoding

@Suite("Input decoder")
struct InputDecoderTests {
    /// Feeds `text` character by character, then flushes, as the backend does when input runs dry.
    static func decode(_ text: String, decoder: inout InputDecoder, flush: Bool = true) -> [String] {
        var actions: [InputEvent] = []
        for scalar in text.unicodeScalars { actions += decoder.feed(.scalar(scalar.value)) }
        if flush { actions += decoder.flush() }
        return actions.map(describe)
    }

    static func decode(_ text: String) -> [String] {
        var decoder = InputDecoder()
        return decode(text, decoder: &decoder)
    }

    static func describe(_ action: InputEvent) -> String {
        switch action {
        case .key(.character(let c)): "char(\(c))"
        case .key(.control(let c)): "ctrl(\(c))"
        case .key(let key): "\(key)"
        case .paste(let text, let dropped): "paste(\(text.debugDescription), \(dropped))"
        case .resize(let w, let h): "resize(\(w)x\(h))"
        default: "other"
        }
    }

    @Test func typedKeysDecodeOneByOne() {
        #expect(Self.decode("ab\r\t\u{7F}\u{17}") == ["char(a)", "char(b)", "enter", "tab", "backspace", "ctrl(w)"])
    }

    @Test func escapeAloneIsDeliveredWhenInputRunsDry() {
        var decoder = InputDecoder()
        #expect(Self.decode("\u{1B}", decoder: &decoder, flush: false) == [])
        #expect(decoder.flush().map(Self.describe) == ["escape"])
    }

    @Test func escapeFollowedByOtherKeysIsNotAPaste() {
        #expect(Self.decode("\u{1B}[2x") == ["escape", "char([)", "char(2)", "char(x)"])
        #expect(Self.decode("\u{1B}\u{1B}[200~hi\u{1B}[201~") == ["escape", "paste(\"hi\", 0)"])
    }

    @Test func pasteBecomesOneActionWithNewlinesKept() {
        let actions = Self.decode("x\u{1B}[200~line one\rline two\r\n\tq?\u{1B}[201~y")
        #expect(actions == ["char(x)", "paste(\"line one\\nline two\\n\\tq?\", 0)", "char(y)"])
    }

    @Test func pasteSurvivesBeingSplitAcrossReads() {
        var decoder = InputDecoder()
        #expect(Self.decode("\u{1B}[20", decoder: &decoder, flush: false) == [])
        #expect(Self.decode("0~héllo ", decoder: &decoder) == [])
        #expect(decoder.isInPaste)
        #expect(Self.decode("wörld\u{1B}[2", decoder: &decoder) == [])
        #expect(Self.decode("01~", decoder: &decoder) == ["paste(\"héllo wörld\", 0)"])
        #expect(!decoder.isInPaste)
    }

    @Test func escapeInsideAPasteThatIsNotTheEndMarkerIsKept() {
        #expect(Self.decode("\u{1B}[200~a\u{1B}[2b\u{1B}[201~") == ["paste(\"a\\u{1B}[2b\", 0)"])
    }

    @Test func functionKeysInsideAPasteAreDroppedButResizesPass() {
        var decoder = InputDecoder()
        _ = Self.decode("\u{1B}[200~ab", decoder: &decoder)
        #expect(decoder.feed(.events([.key(.up)])).isEmpty)
        #expect(decoder.feed(.events([.resize(width: 80, height: 24)])).map(Self.describe) == ["resize(80x24)"])
        #expect(Self.decode("c\u{1B}[201~", decoder: &decoder) == ["paste(\"abc\", 0)"])
    }

    @Test func functionKeyAfterAHeldEscapeFlushesIt() {
        var decoder = InputDecoder()
        _ = Self.decode("\u{1B}", decoder: &decoder, flush: false)
        #expect(decoder.feed(.events([.key(.down)])).map(Self.describe) == ["escape", "down"])
    }

    @Test func unterminatedPasteIsDeliveredWhenAbandoned() {
        var decoder = InputDecoder()
        _ = Self.decode("\u{1B}[200~half a past", decoder: &decoder)
        #expect(decoder.abandonPaste().map(Self.describe) == ["paste(\"half a past\", 0)"])
        #expect(Self.decode("q") == ["char(q)"])
    }

    @Test func longPasteIsCappedAndCountsWhatWasDropped() {
        var decoder = InputDecoder()
        let text = String(repeating: "a", count: InputDecoder.pasteLimit + 7)
        let actions = Self.decode("\u{1B}[200~" + text + "\u{1B}[201~", decoder: &decoder)
        #expect(actions.count == 1)
        #expect(actions.first?.hasSuffix(", 7)") == true)
    }

    @Test func bracketedPasteIsOnlySentToTerminalsThatKnowIt() {
        #expect(CursesTerminal.supportsBracketedPaste(term: "xterm-256color"))
        #expect(CursesTerminal.supportsBracketedPaste(term: "tmux-256color"))
        #expect(!CursesTerminal.supportsBracketedPaste(term: "linux"))
        #expect(!CursesTerminal.supportsBracketedPaste(term: "dumb"))
        #expect(!CursesTerminal.supportsBracketedPaste(term: nil))
    }
}
