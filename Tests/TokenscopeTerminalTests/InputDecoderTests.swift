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
        case .paste(let text, let dropped, let replaced): "paste(\(text.debugDescription), \(dropped)" + (replaced > 0 ? ", replaced \(replaced))" : ")")
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
        #expect(decoder.abandon().map(Self.describe) == ["paste(\"half a past\", 0)"])
        #expect(Self.decode("q") == ["char(q)"])
    }

    @Test func longPasteIsCappedAndCountsWhatWasDropped() {
        var decoder = InputDecoder()
        let text = String(repeating: "a", count: InputDecoder.pasteLimit + 7)
        let actions = Self.decode("\u{1B}[200~" + text + "\u{1B}[201~", decoder: &decoder)
        #expect(actions.count == 1)
        #expect(actions.first?.hasSuffix(", 7)") == true)
    }

    // MARK: Bytes, as the terminal sends them

    /// Feeds `bytes` one by one as the backend does (it reads bytes, not characters), then flushes.
    static func decode(bytes: [UInt8], decoder: inout InputDecoder, flush: Bool = true) -> [String] {
        var actions: [InputEvent] = []
        for byte in bytes { actions += decoder.feed(.byte(byte)) }
        if flush { actions += decoder.flush() }
        return actions.map(describe)
    }

    static func decode(bytes: [UInt8]) -> [String] {
        var decoder = InputDecoder()
        return decode(bytes: bytes, decoder: &decoder)
    }

    static let start = Array("\u{1B}[200~".utf8), end = Array("\u{1B}[201~".utf8)

    @Test func invalidBytesInAPasteBecomeReplacementCharactersAndTheRestIsKept() {
        // The bug: curses' get_wch gave up on 0xFF and the "cd" after it was lost.
        #expect(Self.decode(bytes: Self.start + [0x61, 0x62, 0xFF, 0xFE, 0x63, 0x64] + Self.end)
                == ["paste(\"ab\u{FFFD}\u{FFFD}cd\", 0, replaced 2)"])
    }

    @Test func typedBytesThatAreNotUTF8BecomeReplacementCharacters() {
        #expect(Self.decode(bytes: [0x61, 0x80, 0x62, 0xC1, 0xF5]) == ["char(a)", "char(\u{FFFD})", "char(b)", "char(\u{FFFD})", "char(\u{FFFD})"])
    }

    /// Each case: bytes between "a" and "z" in a paste, and the text expected between them (one
    /// U+FFFD per maximal subpart, as Swift's String(decoding:as:), WHATWG and Python's "replace" do).
    @Test(arguments: [
        ([0xC3, 0xA9], "é", 0),  // a two-byte character
        ([0xF0, 0x9F, 0x98, 0x80], "😀", 0),  // four bytes
        ([0xE2, 0x82], "�", 1),  // truncated three-byte character
        ([0xF0, 0x9F, 0x98], "�", 1),  // truncated four-byte character
        ([0xC0, 0xAF], "��", 2),  // overlong "/" (C0 is never a lead byte)
        ([0xE0, 0x80, 0xAF], "���", 3),  // overlong three-byte "/"
        ([0xF0, 0x80, 0x80, 0xAF], "����", 4),  // overlong four-byte "/"
        ([0xED, 0xA0, 0x80], "���", 3),  // a UTF-16 surrogate (U+D800)
        ([0xF4, 0x90, 0x80, 0x80], "����", 4),  // past U+10FFFF
        ([0xBF], "�", 1),  // a continuation byte alone
        ([0xE2, 0x82, 0xC3, 0xA9], "�é", 1),  // truncated, then a whole character
        ([0xFF, 0xFE, 0xFD], "���", 3),  // bytes UTF-8 never uses
    ] as [([UInt8], String, Int)])
    func byteSequencesDecodeAsTheStandardLossyDecoderDoes(bytes: [UInt8], expected: String, replaced: Int) {
        let text = "a" + expected + "z"
        #expect(String(decoding: [0x61] + bytes + [0x7A], as: UTF8.self) == text)
        let note = replaced > 0 ? ", replaced \(replaced))" : ")"
        #expect(Self.decode(bytes: Self.start + [0x61] + bytes + [0x7A] + Self.end) == ["paste(\(text.debugDescription), 0" + note])
    }

    @Test func randomBytesDecodeLikeTheStandardLibraryAndNothingIsLost() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<500 {
            func next() -> UInt8 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: seed >> 56)
            }
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 24) {
                // Any byte but ESC (which could begin the end marker).
                let pick = next()
                bytes.append(pick == 0x1B ? 0x41 : pick)
            }
            var decoder = InputDecoder()
            let actions = Self.decode(bytes: Self.start + bytes + Self.end, decoder: &decoder)
            let expected = String(decoding: bytes, as: UTF8.self)
                .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            let replaced = expected.unicodeScalars.filter { $0 == "\u{FFFD}" }.count
            #expect(actions == ["paste(\(expected.debugDescription), 0" + (replaced > 0 ? ", replaced \(replaced))" : ")")],
                    "bytes \(bytes.map { String($0, radix: 16) })")
        }
    }

    @Test func aCharacterSplitAcrossReadsIsWholeAndAnUnfinishedOneIsNotLost() {
        var decoder = InputDecoder()
        // The first two bytes of 😀 arrive, then input runs dry: nothing yet, nothing lost.
        #expect(Self.decode(bytes: [0xF0, 0x9F], decoder: &decoder) == [])
        #expect(decoder.isWaiting)
        #expect(Self.decode(bytes: [0x98, 0x80, 0x78], decoder: &decoder) == ["char(😀)", "char(x)"])
        // An unfinished character whose end never comes is U+FFFD once the backend gives up.
        #expect(Self.decode(bytes: [0xE2, 0x82], decoder: &decoder) == [])
        #expect(decoder.abandon().map(Self.describe) == ["char(\u{FFFD})"])
        #expect(!decoder.isWaiting)
    }

    @Test func aPasteSplitInsideACharacterKeepsIt() {
        var decoder = InputDecoder()
        #expect(Self.decode(bytes: Self.start + [0x68, 0xC3], decoder: &decoder) == [])
        #expect(Self.decode(bytes: [0xA9] + Self.end, decoder: &decoder) == ["paste(\"hé\", 0)"])
    }

    @Test func anAbandonedPasteKeepsWhatLookedLikeTheStartOfItsEndMarker() {
        var decoder = InputDecoder()
        _ = Self.decode(bytes: Self.start + Array("ab\u{1B}[2".utf8) + [0xE2], decoder: &decoder)
        #expect(decoder.abandon().map(Self.describe) == ["paste(\"ab\\u{1B}[2\u{FFFD}\", 0, replaced 1)"])
        #expect(!decoder.isWaiting)
    }

    @Test func anUnfinishedCharacterBeforeTheEndMarkerIsReplaced() {
        #expect(Self.decode(bytes: Self.start + [0x61, 0xE2, 0x82] + Self.end) == ["paste(\"a\u{FFFD}\", 0, replaced 1)"])
    }

    @Test func escapeBytesInsideAPasteStayText() {
        // ESC that does not begin the end marker is text, not a key (the editor shows it as ␛).
        #expect(Self.decode(bytes: Self.start + Array("a\u{1B}b\u{1B}[1mc".utf8) + Self.end) == ["paste(\"a\\u{1B}b\\u{1B}[1mc\", 0)"])
    }

    @Test func bracketedPasteIsOnlySentToTerminalsThatKnowIt() {
        #expect(CursesTerminal.supportsBracketedPaste(term: "xterm-256color"))
        #expect(CursesTerminal.supportsBracketedPaste(term: "tmux-256color"))
        #expect(!CursesTerminal.supportsBracketedPaste(term: "linux"))
        #expect(!CursesTerminal.supportsBracketedPaste(term: "dumb"))
        #expect(!CursesTerminal.supportsBracketedPaste(term: nil))
    }
}
