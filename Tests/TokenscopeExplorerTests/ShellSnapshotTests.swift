import Testing
@testable import TokenscopeExplorer
import TokenscopeUI

// MARK: - The shell frame: header, tabs, footer, help, too-small screen

@Suite("Shell snapshots")
struct ShellSnapshotTests {
    @Test(arguments: [(120, 40), (80, 24)])
    func tokensFrame(width: Int, height: Int) throws {
        let explorer = try HeadlessExplorer(width: width, height: height)
        assertSnapshot(explorer.render(), named: "shell-tokens-\(width)x\(height)")
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func helpOverlay(width: Int, height: Int) throws {
        let explorer = try HeadlessExplorer(width: width, height: height, keys: "?")
        #expect(explorer.state.showHelp)
        assertSnapshot(explorer.render(), named: "shell-help-\(width)x\(height)")
    }

    @Test func tooSmallAndRecovers() throws {
        let explorer = try HeadlessExplorer(width: 120, height: 40)
        explorer.send(.resize(width: 30, height: 8))
        let small = explorer.render()
        assertSnapshot(small, named: "shell-too-small-30x8")
        #expect(small.plainText.contains("terminal too small"))
        explorer.send(.resize(width: 80, height: 24))
        let recovered = explorer.render()
        #expect(!recovered.plainText.contains("too small"))
        #expect(recovered.lines[0].contains("Tokenscope"))
    }

    @Test func monochromeFrameUsesNoColours() throws {
        let explorer = try HeadlessExplorer(width: 80, height: 24)
        let canvas = explorer.render(theme: .monochrome)
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let style = try #require(canvas[x, y]).style
                #expect(style.foreground == .default && style.background == .default)
            }
        }
        assertSnapshot(canvas, named: "shell-tokens-mono-80x24")
    }

    @Test func footerNamesKeysWithShortLabels() throws {
        let explorer = try HeadlessExplorer(width: 120, height: 40)
        let footer = explorer.render().lines[38]
        #expect(footer.contains("Tab view"))
        #expect(footer.contains("? help"))
        #expect(!footer.contains("select the"), "the footer shows short labels, not cut help texts")
        // Narrow terminals keep the help hint.
        let narrow = try HeadlessExplorer(width: 40, height: 12)
        #expect(narrow.render().lines[10].contains("? help"))
    }

    @Test func everyViewRendersAtTheMinimumSize() throws {
        let explorer = try HeadlessExplorer(width: AppState.minimumSize.width, height: AppState.minimumSize.height)
        // Every tab (a decoder's: the similarity view replaces sampling only for an encoder).
        for (index, view) in explorer.state.tabs.enumerated() {
            explorer.press(String(index + 1))
            #expect(explorer.state.view == view)
            let canvas = explorer.render()
            #expect(canvas.lines[0].contains("Tokenscope"))
            #expect(canvas.lines.count == AppState.minimumSize.height)
        }
    }
}
