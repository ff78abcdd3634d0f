import Foundation
import Testing
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - The attention view's keys and labels on a small screen

/// ←/→ select the token in the attention view as in every other view, `,`/`.` change the head, and
/// the footer shows both at 80 columns; a row of half blocks (two queries) names the selected query.
@Suite("Attention view keys")
struct AttentionKeysTests {
    @Test func theFooterShowsHeadAndTokenKeysAt80Columns() throws {
        let explorer = try HeadlessExplorer(width: 80, height: 24, keys: "3")
        let footer = try #require(explorer.render().lines.dropLast().last)
        #expect(footer.contains("←/→ token") && footer.contains(",/. head"), "\(footer)")
        let selected = explorer.state.selected
        explorer.press("<Left>")
        #expect(explorer.state.selected == selected - 1 && explorer.state.head == 0)
        explorer.press(".")
        #expect(explorer.state.head == 1 && explorer.state.selected == selected - 1)
    }

    @Test func aHalfBlockRowNamesTheSelectedQuery() throws {
        let prompt = String(repeating: "The capital of France is ", count: 4)
        let explorer = try HeadlessExplorer(prompt: prompt, width: 80, height: 24, keys: "3")
        #expect(explorer.state.tokens.count > 20, "enough queries for two per text row")
        for offset in 0..<2 {
            explorer.press(offset == 0 ? "<End>" : "<Left>")
            let selected = explorer.state.selected
            let label = String(format: "%3d ", selected) + explorer.state.tokens[selected].label
            let lines = explorer.render().lines
            #expect(lines.contains { $0.hasPrefix(label) }, "no row names token \(selected): \(lines.joined(separator: "\n"))")
        }
    }
}
