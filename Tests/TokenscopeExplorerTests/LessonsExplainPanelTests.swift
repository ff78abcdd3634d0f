import Foundation
import Testing
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - The explain panel quotes what the view draws

/// For each view, renders the screen without and with the explain panel on the real model, and
/// checks that every number the panel quotes is drawn by the view (the panel is built from the
/// view's own figures in the view's own formats), and that the panel has two to six sentences.
@Suite("Explain panel", .serialized, .enabled(if: LessonsRealModel.isPresent))
struct LessonsExplainPanelTests {
    /// Numbers in `text`: digits with an optional decimal part (thin-space groups kept together).
    static func numbers(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for character in text {
            if character.isNumber || (character == "." && !current.isEmpty) {
                current.append(character)
            } else {
                if !current.isEmpty { out.append(current.hasSuffix(".") ? String(current.dropLast()) : current) }
                current = ""
            }
        }
        if !current.isEmpty { out.append(current.hasSuffix(".") ? String(current.dropLast()) : current) }
        return out
    }

    @Test(arguments: ViewKind.allCases)
    func panelNumbersAppearInTheView(view: ViewKind) throws {
        let runtime = ExplorerRuntime(engine: try LessonsRealModel.engine(), prompt: "The capital of France is", width: 120, height: 40, synchronous: true)
        runtime.send(.key(.character(Character(String((ViewKind.allCases.firstIndex(of: view) ?? 0) + 1)))))
        let screen = Renderer.render(runtime.state, theme: .monochrome).plainText
        let sentences = Explainer.sentences(runtime.state)
        #expect((2...6).contains(sentences.count), "\(view): \(sentences.count) sentences")
        // Numbers the panel derives itself: counts of the view's own rows (heads in a group, tokens before).
        let structural: Set<String> = ["1", "2", "3", "4", "5", "30", "576"]
        for sentence in sentences {
            for number in Self.numbers(sentence) where !structural.contains(number) {
                #expect(screen.contains(number), "\(view): the panel says \(number) (\"\(sentence)\") but the view does not draw it")
            }
        }
        runtime.send(.key(.character("y")))
        let withPanel = Renderer.render(runtime.state, theme: .monochrome).plainText
        #expect(withPanel.contains("Explain: \(view.title)"))
        let firstWords = String(sentences[0].prefix(30))
        #expect(withPanel.contains(firstWords), "\(view): the panel's first sentence is not on screen")
        runtime.send(.key(.character("y")))
        #expect(!Renderer.render(runtime.state, theme: .monochrome).plainText.contains("Explain: "))
    }

    /// Numbers are read whole, without a sentence's full stop.
    @Test func numbersAreReadAsTheViewWritesThem() {
        #expect(Self.numbers("gives 0.296 to \"␣is\" and 49 152 tokens, into 5.") == ["0.296", "49", "152", "5"])
    }

    /// Every footer shows the explain key.
    @Test func everyFooterShowsTheExplainKey() {
        for view in ViewKind.allCases {
            for width in [80, 120] {
                #expect(Renderer.footerItems(view, width: width - 1).contains { $0.keys == "y" && $0.text == "explain" }, "\(view) at \(width)")
            }
        }
    }
}
