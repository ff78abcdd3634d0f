import Foundation
import TokenscopeUI

// MARK: - Rendering the whole screen

/// Draws the state into a canvas: header, the current view, footer, overlays. Pure.
public enum Renderer {
    /// A canvas the size of the terminal with the state drawn in it.
    public static func render(_ state: AppState, theme: Theme) -> Canvas {
        var canvas = Canvas(width: state.width, height: state.height)
        guard state.width >= AppState.minimumSize.width, state.height >= AppState.minimumSize.height else {
            let message = "terminal too small: \(state.width)×\(state.height), need \(AppState.minimumSize.width)×\(AppState.minimumSize.height)"
            StyledText(message, style: theme.warning, alignment: .center, wraps: true)
                .render(in: Rect(x: 0, y: max(0, state.height / 2 - 1), width: state.width, height: min(3, state.height)), on: &canvas)
            theme.paint(&canvas)
            return canvas
        }
        header(state, theme, &canvas)
        // A lesson's narration takes the rows below the view.
        let narration = TeachingPanels.narrationHeight(state)
        // The explain panel takes the rows below the view, so the view's figure stays in sight.
        let explain = TeachingPanels.explainHeight(state, available: state.height - 4 - narration)
        let body = Rect(x: 0, y: 2, width: state.width, height: state.height - 4 - narration - explain)
        if state.secondPrompt.isOpen && state.view == .sampling {
            SplitPromptsView.render(state, theme, body, &canvas)
        } else if state.attentionView.crossModel.isOpen && state.view == .attention && state.attentionView.mode == .head {
            CrossModelView.render(state, theme, body, &canvas)
        } else if state.secondPrompt.isOpen && state.view == .attention {
            SplitAttentionView.render(state, theme, body, &canvas)
        } else if state.view == .sampling && state.comparison != nil {
            SplitSamplingView.render(state, theme, body, &canvas)
        } else if state.presenting && PresenterView.views.contains(state.view) {
            PresenterView.render(state, theme, body, &canvas)
        } else {
            switch state.view {
            case .tokens: TokensView.render(state, theme, body, &canvas)
            case .sampling where RAGPanel.isShown(state): RAGPanel.renderWithSampling(state, theme, body, &canvas)
            case .sampling: SamplingView.render(state, theme, body, &canvas)
            case .similarity: SimilarityView.render(state, theme, body, &canvas)
            case .search: SearchView.render(state, theme, body, &canvas)
            case .attention: AttentionView.render(state, theme, body, &canvas)
            case .embeddings: EmbeddingsView.render(state, theme, body, &canvas)
            case .forward: ForwardView.render(state, theme, body, &canvas)
            case .why: AttributionView.render(state, theme, body, &canvas)
            }
        }
        if explain > 0 {
            TeachingPanels.renderExplain(state, theme, Rect(x: 0, y: body.y + body.height, width: state.width, height: explain), &canvas)
        }
        if narration > 0 {
            TeachingPanels.renderNarration(state, theme, Rect(x: 0, y: body.y + body.height + explain, width: state.width, height: narration), &canvas)
        }
        footer(state, theme, &canvas)
        if let editor = state.editor { editorOverlay(editor, theme, second: state.secondPrompt.editing, &canvas) }
        if state.teaching.listOpen { TeachingPanels.renderList(state, theme, &canvas) }
        if state.teaching.glossarySearch != nil { TeachingPanels.renderGlossary(state, theme, &canvas) }
        if let picker = state.modelPicker { ModelPickerOverlay.render(picker, theme, &canvas) }
        if state.showHelp { helpOverlay(state, theme, &canvas) }
        if state.teaching.welcome { TeachingPanels.renderWelcome(state, theme, &canvas) }
        theme.paint(&canvas)
        return canvas
    }

    static func header(_ state: AppState, _ theme: Theme, _ canvas: inout Canvas) {
        canvas.fill(x: 0, y: 0, width: state.width, height: 1, style: theme.header)
        var x = canvas.text(" Tokenscope ", x: 0, y: 0, style: theme.header)
        x = canvas.text("│ \(state.modelSummary) ", x: x, y: 0, style: theme.header)
        if !state.attentionView.ablations.isEmpty {
            x = canvas.text("│ ablated: " + state.attentionView.ablations.map(\.label).joined(separator: ", ") + " ", x: x, y: 0, style: theme.header)
        }
        let position = HeaderPosition.text(state, room: max(0, state.width - x))
        canvas.text(position, x: max(x, state.width - Canvas.columns(of: position)), y: 0, style: theme.header)
        let tabArea = Rect(x: 1, y: 1, width: state.width - 1, height: 1)
        let tabRow = tabs(state, theme)
        tabRow.render(in: tabArea, on: &canvas)
        let tabX = tabRow.endColumn(in: tabArea)
        if state.chat { canvas.text("[chat template]", x: tabX + 1, y: 1, style: theme.special) }
    }

    /// The view tabs of the header (drawn from column 1 of row 1; each tab is marked as a click target).
    static func tabs(_ state: AppState, _ theme: Theme) -> Tabs {
        Tabs(titles: state.tabs.map(\.title), selected: state.tabs.firstIndex(of: state.view) ?? 0,
             selectedStyle: theme.selection, style: theme.muted)
    }

    /// The footer labels of what an encoder cannot do: it has no BPE merges, no chat template and
    /// no next token.
    static let encoderLess: Set<String> = ["replay", "chat", "step", "undo"]

    /// The footer labels kept in presenter mode.
    static let presenterFooter: Set<String> = ["token", "step", "candidate", "temp", "layer", "head", "help", "quit"]

    static func footer(_ state: AppState, _ theme: Theme, _ canvas: inout Canvas) {
        let y = state.height - 1
        canvas.fill(x: 0, y: y - 1, width: state.width, height: 2, style: theme.footer)
        var keyStyle = theme.footer
        keyStyle.bold = true
        var spans: [Span] = [Span(" ", theme.footer)]
        for item in footerItems(state.view, width: state.width - 1, presenting: state.presenting, encoder: state.isEncoder) {
            spans.append(Span(item.keys, keyStyle))
            spans.append(Span(" \(item.text)  ", theme.footer))
        }
        StyledText(spans).render(in: Rect(x: 0, y: y - 1, width: state.width, height: 1), on: &canvas)
        let status = state.busy.map { "⏳ \($0)…" } ?? state.status
        canvas.text(" " + status, x: 0, y: y, style: state.status.hasPrefix("error") ? theme.warning : theme.footer)
    }

    /// The footer's key hints for `view` that fit in `width` columns; `y explain` and `? help`
    /// always stay (help lists the rest). Presenter mode keeps the few keys a demo needs. An
    /// encoder's footer leaves out what it cannot do (replay BPE merges, chat, step, undo).
    static func footerItems(_ view: ViewKind, width: Int, presenting: Bool = false, encoder: Bool = false) -> [(keys: String, text: String)] {
        var all = Keymap.bindings(in: view).compactMap { binding in binding.footerLabel.map { (keys: binding.label, text: $0) } }
        if encoder { all.removeAll { encoderLess.contains($0.text) } }
        if presenting { all = [(keys: "b", text: "full view")] + all.filter { presenterFooter.contains($0.text) || $0.text == "explain" } }
        let kept = ["explain", "help"]
        let help = all.first { $0.text == "help" }
        let explain = all.first { $0.text == "explain" }
        var items: [(keys: String, text: String)] = explain.map { [$0] } ?? []
        var used = (help.map { Canvas.columns(of: $0.keys) + Canvas.columns(of: $0.text) + 3 } ?? 0)
            + (explain.map { Canvas.columns(of: $0.keys) + Canvas.columns(of: $0.text) + 3 } ?? 0)
        for item in all where !kept.contains(item.text) {
            let w = Canvas.columns(of: item.keys) + Canvas.columns(of: item.text) + 3
            guard used + w <= width else { break }
            items.append(item)
            used += w
        }
        if let help { items.append(help) }
        return items
    }

    static func editorOverlay(_ editor: PromptEditor, _ theme: Theme, second: Bool = false, _ canvas: inout Canvas) {
        let width = canvas.width - 4, y = canvas.height / 2 - 2
        canvas.fill(x: 2, y: y, width: width, height: 4, style: theme.header)
        canvas.text(second ? " Second prompt, B (Enter runs it beside A, Esc cancels, Ctrl-W deletes a word, ↑/↓ history)"
                        : " Prompt (Enter runs it, Esc cancels, Ctrl-W deletes a word, ↑/↓ history)",
                    x: 3, y: y, style: theme.header, maxWidth: second ? width - 2 : nil)
        // Show the end of long prompts so the cursor stays visible.
        let text = editor.displayText
        let visible = String(text.suffix(max(1, width - 4)))
        canvas.fill(x: 3, y: y + 2, width: width - 2, height: 1, style: .plain)
        let end = canvas.text(visible, x: 4, y: y + 2, style: .plain, maxWidth: width - 4)
        let cursorColumn = min(end, 4 + Canvas.columns(of: String(visible.prefix(max(0, editor.cursor - (text.count - visible.count))))))
        canvas.set(cursorColumn, y + 2, canvas[cursorColumn, y + 2]?.character ?? " ", theme.selection)
    }

    static func helpOverlay(_ state: AppState, _ theme: Theme, _ canvas: inout Canvas) {
        HelpContent.overlay(state, theme: theme).render(in: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), on: &canvas)
    }
}
