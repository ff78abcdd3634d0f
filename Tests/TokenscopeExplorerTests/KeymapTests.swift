import Testing
@testable import TokenscopeExplorer
import TokenscopeUI

// MARK: - One table drives keys, footer and help

@Suite("Keymap")
struct KeymapTests {
    @Test func everyBindingDispatchesItsCommandSomewhere() {
        for binding in Keymap.bindings {
            let views = binding.views.map(Array.init) ?? ViewKind.allCases
            for key in binding.keys {
                // A global key may be shadowed in a view by a view-specific binding, never everywhere.
                let reached = views.contains { Keymap.command(for: key, in: $0) == binding.command }
                #expect(reached, "\(key) (\(binding.label): \(binding.help)) never reaches its command")
            }
        }
    }

    @Test func everyBindingAppearsInTheHelpOfItsViews() throws {
        for view in ViewKind.allCases + [.similarity] {
            let explorer = try HeadlessExplorer(width: 160, height: 60)
            if let tab = explorer.state.tabs.firstIndex(of: view) {
                explorer.press(String(tab + 1) + "?")
            } else {
                // The similarity view is an encoder's tab; a prepared state shows it on any model.
                var setup = Setup()
                setup.view = view
                explorer.send(.setup(setup))
                explorer.press("?")
                #expect(explorer.state.view == view)
            }
            let help = explorer.render().plainText
            for binding in Keymap.bindings(in: view) where binding.listed {
                #expect(help.contains(binding.help), "help for \(view) lacks '\(binding.help)'")
            }
        }
    }

    @Test func aPairsSecondKeyIsCoveredByTheFirstRow() {
        let bindings = Keymap.bindings
        for (index, binding) in bindings.enumerated() where !binding.listed {
            // The nearest listed row above names this key too ("←/→", or a range "1–5") and applies
            // in the same views.
            let first = bindings[..<index].last(where: \.listed)
            #expect(first?.views == binding.views)
            let label = first?.label ?? ""
            let range = label.split(separator: "–").map(String.init)
            let covered = label.split(separator: "/").map(String.init).contains(binding.label)
                || (range.count == 2 && range[0] <= binding.label && binding.label <= range[1])
            #expect(covered, "'\(binding.label)' is not covered by '\(label)'")
        }
        #expect(bindings.filter { !$0.listed }.count >= 10)
    }

    @Test func footerLabelsAreShort() {
        for binding in Keymap.bindings {
            guard let label = binding.footerLabel else { continue }
            #expect(Canvas.columns(of: label) <= 16, "footer label '\(label)' is long")
            #expect(label != binding.help || binding.help.count <= 16)
        }
        #expect(Keymap.shortLabel("select the previous / next token (wraps)") == "previous / next token")
    }
}
