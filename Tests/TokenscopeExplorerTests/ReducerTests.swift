import Testing
@testable import TokenscopeExplorer
import TokenscopeUI

// MARK: - Reducer: key sequences → state

@Suite("Reducer")
struct ReducerTests {
    @Test func viewsCycleWithTabAndNumbers() throws {
        let explorer = try HeadlessExplorer()
        #expect(explorer.state.view == .tokens)
        explorer.press("<Tab>")
        #expect(explorer.state.view == explorer.state.tabs[1])
        explorer.press("<S-Tab><S-Tab>")
        #expect(explorer.state.view == explorer.state.tabs.last)
        explorer.press("3")
        #expect(explorer.state.view == .attention)
    }

    @Test func selectionMovesAndClamps() throws {
        let explorer = try HeadlessExplorer()
        let last = explorer.state.tokens.count - 1
        #expect(explorer.state.selected == last)
        explorer.press("<Left><Left>")
        #expect(explorer.state.selected == last - 2)
        #expect(explorer.state.analysis?.position == last - 2, "the analysis follows the selection")
        explorer.press("<Home><Left>")
        #expect(explorer.state.selected == 0)
        explorer.press("<End><Right><Right>")
        explorer.send(.scroll(-1))
        #expect(explorer.state.selected == last - 1)
    }

    @Test func pageKeysMoveTheSelectionByTenAndClamp() throws {
        let explorer = try HeadlessExplorer(prompt: String(repeating: "one two three four ", count: 8))
        let last = explorer.state.tokens.count - 1
        #expect(last > 25)
        explorer.press("<PgUp>")
        #expect(explorer.state.selected == last - 10)
        explorer.press("<PgUp><PgDn><PgDn>")
        #expect(explorer.state.selected == last, "clamped at the end")
        explorer.press(String(repeating: "<PgUp>", count: last / 10 + 2))
        #expect(explorer.state.selected == 0, "clamped at the start")
    }

    @Test func stepAppendsAndUndoRewinds() throws {
        let explorer = try HeadlessExplorer()
        let count = explorer.state.tokens.count
        explorer.press("<Space>")
        #expect(explorer.state.tokens.count == count + 1)
        #expect(explorer.state.tokens.last?.generated == true)
        #expect(explorer.state.busy == nil)
        explorer.press("u")
        #expect(explorer.state.tokens.count == count)
        explorer.press("u")
        #expect(explorer.state.status == "nothing generated to undo")
    }

    @Test func helpOpensAndAnyKeyClosesIt() throws {
        let explorer = try HeadlessExplorer(keys: "?")
        #expect(explorer.state.showHelp)
        explorer.press("x")
        #expect(!explorer.state.showHelp)
        #expect(explorer.state.view == .tokens, "the closing key does nothing else")
    }

    @Test func helpLongerThanTheScreenTurnsPagesAndOtherKeysCloseIt() throws {
        let explorer = try HeadlessExplorer(width: 80, height: 16, keys: "3?")
        let pages = HelpContent.overlay(explorer.state, theme: .dark).maxScroll(in: Rect(x: 0, y: 0, width: 80, height: 16)) + 1
        #expect(pages >= 3)
        #expect(explorer.render().plainText.contains("Keys · page 1 of \(pages) (↓/↑ page, other keys close)"))
        #expect(explorer.render().plainText.contains("↓ page 2 of \(pages): "))
        explorer.press("<Down><PgDn>")
        #expect(explorer.state.helpScroll == 2 && explorer.state.showHelp)
        explorer.press("<End><Down><PgDn>")
        let end = explorer.state.helpScroll
        #expect(end == pages - 1, "clamped at the last page")
        let screen = explorer.render().plainText
        #expect(screen.contains("C-c        quit at once") && screen.contains("↑ page \(pages - 1) of \(pages)"))
        explorer.send(.scroll(-1))
        #expect(explorer.state.helpScroll == end - 1, "the wheel turns pages too")
        explorer.press("<Home><Up>")
        #expect(explorer.state.helpScroll == 0)
        explorer.press("x")
        #expect(!explorer.state.showHelp && explorer.state.helpScroll == 0)
        // Where everything fits, the arrows have nothing to turn and the title says any key closes.
        let roomy = try HeadlessExplorer(width: 160, height: 60, keys: "3?")
        #expect(roomy.render().plainText.contains("Keys (any key closes)"))
        roomy.press("<Down>")
        #expect(!roomy.state.showHelp)
    }

    @Test func quitWithQOrCtrlC() throws {
        #expect(try HeadlessExplorer(keys: "q").state.quitting)
        #expect(try HeadlessExplorer(keys: "<C-c>").state.quitting)
    }

    @Test func editorRunsANewPrompt() throws {
        let explorer = try HeadlessExplorer(keys: "e")
        #expect(explorer.state.editor?.text == "The capital of France is")
        explorer.press("<C-w><C-w>Italy<Enter>")
        #expect(explorer.state.editor == nil)
        #expect(explorer.state.prompt == "The capital of Italy")
        #expect(explorer.state.tokens.map(\.text).joined() == "The capital of Italy")
        // Escape cancels without running.
        explorer.press("exyz<Esc>")
        #expect(explorer.state.prompt == "The capital of Italy")
        // An empty prompt is refused with a message.
        explorer.press("e<C-w><C-w><C-w><C-w><C-w><Enter>")
        #expect(explorer.state.status == "the prompt is empty: type some text")
        #expect(explorer.state.prompt == "The capital of Italy")
    }

    @Test func resizeIsState() throws {
        let explorer = try HeadlessExplorer()
        explorer.send(.resize(width: 50, height: 20))
        #expect(explorer.state.width == 50 && explorer.state.height == 20)
    }
}

// MARK: - Prompt editor

@Suite("Prompt editor")
struct PromptEditorTests {
    @Test func editsByGraphemes() {
        var editor = PromptEditor(text: "né 👍🏽")
        #expect(editor.cursor == 4)
        editor.deleteBackward()
        #expect(editor.text == "né ")
        editor.moveLeft(); editor.moveLeft()
        editor.insert("🇫🇷")
        #expect(editor.text == "n🇫🇷é ")
        editor.moveHome(); editor.deleteForward()
        #expect(editor.text == "🇫🇷é ")
    }

    @Test func wordsMoveAndDelete() {
        var editor = PromptEditor(text: "one two  three")
        editor.deleteWord()
        #expect(editor.text == "one two  ")
        editor.moveWordLeft()
        #expect(editor.cursor == 4)
        editor.moveWordRight()
        #expect(editor.cursor == 9)
        editor.moveHome(); editor.deleteWord()
        #expect(editor.text == "one two  ")
    }

    @Test func historyRecalls() {
        var editor = PromptEditor(text: "now", history: ["first", "second"])
        editor.recall(older: true)
        #expect(editor.text == "second")
        editor.recall(older: true); editor.recall(older: true)
        #expect(editor.text == "first")
        editor.recall(older: false); editor.recall(older: false)
        #expect(editor.text == "")
    }

    @Test func longPastesStayWholeAndControlCharactersAreKeptAndShownAsPictures() {
        var editor = PromptEditor(text: "")
        let paste = String(repeating: "lorem ipsum ", count: 500)
        editor.insert(paste + "\u{7}end\nnext\tcolumn\u{1B}\u{85}")
        // Nothing pasted is lost or turned into a space: the model reads what was pasted.
        #expect(editor.text == paste + "\u{7}end\nnext\tcolumn\u{1B}\u{85}")
        #expect(editor.cursor == editor.characters.count)
        // Shown one column per character, so the cursor stays where it is.
        #expect(editor.displayText == paste + "␇end↵next⇥column␛⍰")
        #expect(editor.displayText.count == editor.characters.count)
    }
}

// MARK: - Mouse

@Suite("Reducer: mouse")
struct ReducerMouseTests {
    @Test func clickingATabSwitchesTheView() throws {
        let explorer = try HeadlessExplorer()
        let line = explorer.render().lines[1]
        let column = try #require(line.range(of: "Attention")).lowerBound
        explorer.click(x: line.distance(from: line.startIndex, to: column), y: 1)
        #expect(explorer.state.view == .attention)
        explorer.click(x: 0, y: 1)
        #expect(explorer.state.view == .attention, "the gap before the first tab does nothing")
    }

    @Test func wheelScrollsTheSelection() throws {
        let explorer = try HeadlessExplorer()
        let last = explorer.state.tokens.count - 1
        explorer.send(.scroll(-1))
        explorer.send(.scroll(-1))
        #expect(explorer.state.selected == last - 2)
        explorer.send(.scroll(5))
        #expect(explorer.state.selected == last)
    }
}

// MARK: - Prompt history

@Suite("Reducer: prompt history")
struct ReducerHistoryTests {
    @Test func upRecallsEarlierPrompts() throws {
        let explorer = try HeadlessExplorer(keys: "e<C-w>Paris<Enter>")
        #expect(explorer.state.prompt == "The capital of France Paris")
        #expect(explorer.state.promptHistory == ["The capital of France is"])
        explorer.press("e<Up>")
        #expect(explorer.state.editor?.text == "The capital of France is")
        explorer.press("<Down>")
        #expect(explorer.state.editor?.text == "")
        explorer.press("<Esc>")
        #expect(explorer.state.prompt == "The capital of France Paris")
    }
}

@Suite("Reducer: bracketed paste")
struct ReducerPasteTests {
    @Test func pasteOutsideTheEditorOpensItOnThePastedText() throws {
        let explorer = try HeadlessExplorer()
        // Pasted letters are text, never commands: "q" would quit and "2" would switch views.
        explorer.send(.paste("q2 Rome is the capital of", dropped: 0))
        #expect(!explorer.state.quitting)
        #expect(explorer.state.view == .tokens)
        #expect(explorer.state.editor?.text == "q2 Rome is the capital of")
        #expect(explorer.state.status.hasPrefix("pasted 25 characters"))
        explorer.press("<Enter>")
        #expect(explorer.state.prompt == "q2 Rome is the capital of")
        #expect(explorer.state.tokens.map(\.text).joined() == "q2 Rome is the capital of")
    }

    @Test func escapeAfterAPasteKeepsThePromptAndUpRecallsIt() throws {
        let explorer = try HeadlessExplorer()
        explorer.send(.paste("something else", dropped: 0))
        explorer.press("<Up>")
        #expect(explorer.state.editor?.text == "The capital of France is", "the current prompt is one Up away")
        explorer.press("<Esc>")
        #expect(explorer.state.prompt == "The capital of France is")
    }

    @Test func pasteInsideTheEditorInsertsAtTheCursorWithNewlines() throws {
        let explorer = try HeadlessExplorer(keys: "e<Home>")
        explorer.send(.paste("Line one\nline two\t", dropped: 0))
        #expect(explorer.state.editor?.text == "Line one\nline two\tThe capital of France is")
        #expect(explorer.render().plainText.contains("Line one↵line two⇥The capital"), "newlines and tabs show as ↵ and ⇥")
        explorer.send(.paste("x", dropped: 3))
        #expect(explorer.state.status == "pasted 1 character (3 more were not kept)")
    }

    @Test func bytesThatWereNotUTF8AreSaidOnTheStatusLineAndRunAsPasted() throws {
        let explorer = try HeadlessExplorer()
        explorer.send(.paste("ab\u{FFFD}\u{FFFD}cd", dropped: 0, replaced: 2))
        #expect(explorer.state.editor?.text == "ab\u{FFFD}\u{FFFD}cd")
        #expect(explorer.state.status == "pasted 6 characters (2 \u{FFFD} stand for bytes that were not UTF-8): Enter runs them, Esc keeps the prompt")
        explorer.press("<Enter>")
        #expect(explorer.state.tokens.flatMap(\.bytes) == Array("ab\u{FFFD}\u{FFFD}cd".utf8), "the model reads U+FFFD's bytes")
        // A U+FFFD that was pasted as such is not called a byte that was not UTF-8.
        explorer.send(.paste("\u{FFFD}", dropped: 0))
        #expect(explorer.state.status == "pasted 1 character: Enter runs them, Esc keeps the prompt")
    }

    @Test func controlCharactersInAPasteAreKeptShownAsPicturesAndSaid() throws {
        let explorer = try HeadlessExplorer(keys: "e<C-w><C-w><C-w><C-w><C-w>")
        explorer.send(.paste("a\u{1B}[1mb\u{0}c\u{7F}", dropped: 0))
        #expect(explorer.state.editor?.text == "a\u{1B}[1mb\u{0}c\u{7F}", "nothing pasted became a space or a key")
        #expect(explorer.state.editor?.displayText == "a␛[1mb␀c␡")
        #expect(explorer.state.status == "pasted 9 characters (3 control characters kept, shown as ␛ ␀ ␡)")
        #expect(explorer.render().plainText.contains("a␛[1mb␀c␡"))
        explorer.press("<Enter>")
        #expect(explorer.state.tokens.map(\.text).joined() == "a\u{1B}[1mb\u{0}c\u{7F}", "the model reads the control characters")
        #expect(!explorer.render().plainText.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no control character reaches the screen")
    }

    @Test func pasteIntoTheEmbeddingsQueryBecomesOneLine() throws {
        let explorer = try HeadlessExplorer(keys: "4w<C-e><C-w><C-w><C-w><C-w>")
        #expect(explorer.state.embeddingsView.input != nil)
        explorer.send(.paste("king\n- man", dropped: 0))
        #expect(explorer.state.embeddingsView.input?.text.hasSuffix("king - man") == true)
        #expect(explorer.state.editor == nil)
    }
}
