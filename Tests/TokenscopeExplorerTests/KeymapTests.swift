import Testing
@testable import TokenscopeExplorer

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
        for view in ViewKind.allCases {
            let explorer = try HeadlessExplorer(width: 160, height: 60)
            explorer.press(String((ViewKind.allCases.firstIndex(of: view) ?? 0) + 1) + "?")
            let help = explorer.render().plainText
            for binding in Keymap.bindings(in: view) where binding.listed {
                #expect(help.contains(binding.help), "help for \(view) lacks '\(binding.help)'")
            }
        }
    }

    @Test func aPairsSecondKeyIsCoveredByTheFirstRow() {
        let bindings = Keymap.bindings
        for (index, binding) in bindings.enumerated() where !binding.listed {
            // The row just above lists both keys ("←/→") and applies in the same views.
            let first = index > 0 ? bindings[index - 1] : nil
            #expect(first?.listed == true)
            #expect(first?.views == binding.views)
            #expect(first?.label.split(separator: "/").map(String.init).contains(binding.label) == true,
                    "'\(binding.label)' is not half of '\(first?.label ?? "")'")
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
