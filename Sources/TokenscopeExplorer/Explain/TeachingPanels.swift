import Foundation
import TokenscopeUI

// MARK: - Drawing the teaching panels

/// The lesson narration panel (below the view), the explain panel, the lesson list, the glossary
/// and the first-run welcome, drawn by `Renderer` from `state.teaching`.
enum TeachingPanels {
    /// `text` in lines of at most `width` columns (words kept whole unless longer than a line;
    /// blank lines kept as paragraph breaks).
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(8, width)
        var lines: [String] = []
        for paragraph in text.components(separatedBy: "\n") {
            if paragraph.trimmingCharacters(in: .whitespaces).isEmpty {
                if lines.last != "" { lines.append("") }
                continue
            }
            var line = ""
            for word in paragraph.split(separator: " ") {
                var word = String(word)
                while Canvas.columns(of: word) > width {
                    if !line.isEmpty { lines.append(line); line = "" }
                    lines.append(String(word.prefix(width)))
                    word = String(word.dropFirst(width))
                }
                if !line.isEmpty && Canvas.columns(of: line) + 1 + Canvas.columns(of: word) > width {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            if !line.isEmpty { lines.append(line) }
        }
        return lines
    }

    /// Narration text joined from Markdown lines: paragraphs kept, single line breaks joined,
    /// `**` and backticks dropped.
    static func prose(_ markdown: String) -> String {
        var paragraphs: [String] = []
        var current: [String] = []
        for line in markdown.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")); current = [] }
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        return paragraphs.joined(separator: "\n\n").replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    }

    /// Live values for the panels: lookups of `token("…")` from the ids the lessons were opened with.
    static func values(_ state: AppState) -> LiveValues {
        let ids = state.teaching.tokenIDs
        return LiveValues(state: state, tokenID: { ids[$0] })
    }

    /// `text` with live values filled in; a value not available yet (its view's data still being
    /// computed) shows as `…`.
    static func fill(_ text: String, _ values: LiveValues) -> String {
        guard let found = try? LivePath.placeholders(in: text) else { return text }
        var out = ""
        var index = text.startIndex
        for (path, range) in found {
            out += text[index..<range.lowerBound]
            out += (try? values.value(path).display) ?? "…"
            index = range.upperBound
        }
        out += text[index...]
        return out.replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")
    }

    // MARK: Lesson narration

    /// The lines of the narration panel for the current step at `width` columns: title, narration,
    /// task with its state, hints, keys.
    static func narrationLines(_ state: AppState, width: Int) -> (title: String, lines: [String], done: Bool?) {
        guard let lesson = state.teaching.lesson, let step = state.teaching.currentStep else { return ("", [], nil) }
        let values = values(state)
        let title = " \(lesson.title) · step \(state.teaching.step + 1)/\(lesson.steps.count): \(step.title) "
        var lines = wrap(prose(fill(step.narration, values)), width: width)
        var done: Bool?
        if let task = step.task {
            let holds = task.check.evaluate(values).holds
            done = holds
            lines.append("")
            lines += wrap((holds ? "✓ Done: " : "▶ Task: ") + fill(task.goal, values), width: width)
            lines += guessLines(state, width: width)
            for hint in task.hints.prefix(state.teaching.hints) { lines += wrap("Hint: " + fill(hint, values), width: width) }
        }
        return (title, lines, done)
    }

    /// Rows the narration panel takes on a `height`-row screen: two when collapsed (small screens
    /// start collapsed), up to about 40 % of the screen otherwise, or up to two thirds expanded.
    static func narrationHeight(_ state: AppState) -> Int {
        guard state.teaching.lesson != nil else { return 0 }
        let (_, lines, _) = narrationLines(state, width: state.width - 2)
        let needed = lines.count + 2
        let compact = state.height < 32
        if compact && !state.teaching.narrationExpanded { return 2 }
        let limit = state.teaching.narrationExpanded ? state.height * 2 / 3 : state.height * 2 / 5
        return max(3, min(needed, limit))
    }

    static func renderNarration(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        guard area.height > 0 else { return }
        let (title, lines, done) = narrationLines(state, width: area.width - 2)
        canvas.fill(x: area.x, y: area.y, width: area.width, height: area.height, style: .plain)
        canvas.fill(x: area.x, y: area.y, width: area.width, height: 1, style: theme.header)
        let keys = " {/} step · H hint · Z \(state.teaching.narrationExpanded ? "collapse" : "expand") · y explain "
        let x = canvas.text(title, x: area.x, y: area.y, style: theme.header, maxWidth: area.width - Canvas.columns(of: keys) - 1)
        canvas.text(keys, x: max(x, area.x + area.width - Canvas.columns(of: keys)), y: area.y, style: theme.header)
        let room = area.height - 1
        guard room > 0 else { return }
        if area.height == 2 {
            let first = lines.first { $0.hasPrefix("▶ Your guess") } ?? lines.first { !$0.isEmpty } ?? ""
            let mark = done == true ? "✓ " : ""
            canvas.text(" " + mark + first + (lines.count > 1 ? " … (Z expands)" : ""), x: area.x, y: area.y + 1, style: .plain, maxWidth: area.width - 1)
            return
        }
        let shown = lines.count > room ? Array(lines.prefix(room - 1)) + ["… (Z expands)"] : lines
        for (index, line) in shown.enumerated() {
            let style: Style = line.hasPrefix("✓") ? theme.special : line.hasPrefix("▶") || line.hasPrefix("Hint") ? theme.selection : .plain
            canvas.text(" " + line, x: area.x, y: area.y + 1 + index, style: style, maxWidth: area.width - 1)
        }
    }

    // MARK: Explain panel

    /// The explain panel's lines at `width` columns: the sentences, then the terms; when only
    /// `limit` lines fit, the terms go first (g opens the glossary), then the last sentences,
    /// with a closing line saying that more is there.
    static func explainLines(_ state: AppState, width: Int, limit: Int = .max) -> [String] {
        var lines: [String] = []
        for sentence in Explainer.sentences(state) { lines += wrap(sentence, width: width) }
        let terms = [""] + wrap("Terms: " + Explainer.terms(state.view, encoder: state.isEncoder).joined(separator: ", ") + " — g opens the glossary.", width: width)
        if lines.count + terms.count <= limit { return lines + terms }
        if lines.count <= limit { return lines }
        return Array(lines.prefix(max(0, limit - 1))) + ["… (more on a taller screen)"]
    }

    /// The explain panel's text width on a screen `width` columns wide (at most 100, easy to read).
    static func explainWidth(_ screenWidth: Int) -> Int { min(screenWidth, 104) }

    /// Rows the explain panel takes below the view when open: its lines, at most half of the
    /// `available` rows and no more than leaves the view ten rows (a figure stays in sight).
    static func explainHeight(_ state: AppState, available: Int) -> Int {
        guard state.teaching.explainOpen, available > 0 else { return 0 }
        let needed = explainLines(state, width: explainWidth(state.width) - 4).count + 2
        let limit = max(4, min(available / 2, available - 10))
        return min(needed, limit, available)
    }

    /// The explain panel in `area` (a strip below the view), centred at a readable width.
    static func renderExplain(_ state: AppState, _ theme: Theme, _ area: Rect, _ canvas: inout Canvas) {
        let width = explainWidth(area.width)
        let lines = explainLines(state, width: width - 4, limit: area.height - 2)
        let x = area.x + (area.width - width) / 2
        canvas.fill(x: area.x, y: area.y, width: area.width, height: area.height, style: .plain)
        box(title: " Explain: \(state.view.title) (y or Esc closes) ", lines: lines, style: theme, Rect(x: x, y: area.y, width: width, height: area.height), &canvas)
    }

    /// A framed box with a title and lines.
    static func box(title: String, lines: [String], style theme: Theme, _ area: Rect, _ canvas: inout Canvas, highlight: Int? = nil) {
        guard area.width > 4, area.height > 2 else { return }
        canvas.fill(x: area.x, y: area.y, width: area.width, height: area.height, style: theme.footer)
        canvas.text("╭" + String(repeating: "─", count: area.width - 2) + "╮", x: area.x, y: area.y, style: theme.header)
        canvas.text(title, x: area.x + 2, y: area.y, style: theme.header, maxWidth: area.width - 4)
        for row in 1..<(area.height - 1) {
            canvas.text("│", x: area.x, y: area.y + row, style: theme.header)
            canvas.text("│", x: area.x + area.width - 1, y: area.y + row, style: theme.header)
        }
        canvas.text("╰" + String(repeating: "─", count: area.width - 2) + "╯", x: area.x, y: area.y + area.height - 1, style: theme.header)
        for (index, line) in lines.prefix(area.height - 2).enumerated() {
            let style = index == highlight ? theme.selection : theme.footer
            if index == highlight { canvas.fill(x: area.x + 1, y: area.y + 1 + index, width: area.width - 2, height: 1, style: style) }
            canvas.text(" " + line, x: area.x + 1, y: area.y + 1 + index, style: style, maxWidth: area.width - 3)
        }
    }

    // MARK: Lesson list, glossary, welcome

    static func renderList(_ state: AppState, _ theme: Theme, _ canvas: inout Canvas) {
        let lessons = state.teaching.catalogue
        let width = min(state.width - 2, 110)
        var lines: [String] = []
        var rowOf: [Int] = []
        for lesson in lessons {
            rowOf.append(lines.count)
            let progress = state.teaching.progressLabels[lesson.name] ?? "not started"
            lines.append("\(lesson.title) · \(lesson.minutes) min · \(lesson.steps.count) steps · \(progress)")
            if state.height >= 30 { lines += wrap("   " + lesson.summary, width: width - 4).prefix(1).map { "  " + $0.trimmingCharacters(in: .whitespaces) } }
        }
        if lessons.isEmpty { lines = ["No lessons were found (see Docs/LESSONS.md)."] }
        let height = min(state.height - 2, lines.count + 2)
        let selected = rowOf.indices.contains(state.teaching.listSelection) ? rowOf[state.teaching.listSelection] : nil
        // Keep the selected row visible.
        let first = max(0, (selected ?? 0) - (height - 3))
        box(title: " Lessons (↑/↓ choose, Enter starts, other keys close) ", lines: Array(lines.dropFirst(first)), style: theme,
            Rect(x: (state.width - width) / 2, y: 1, width: width, height: height), &canvas, highlight: selected.map { $0 - first })
    }

    static func renderGlossary(_ state: AppState, _ theme: Theme, _ canvas: inout Canvas) {
        let query = state.teaching.glossarySearch?.text ?? ""
        let width = min(state.width - 2, 100)
        var lines = ["search: " + query + "▏", ""]
        guard let glossary = state.teaching.glossary else {
            lines.append("The glossary was not found (Assets/Glossary/glossary.md).")
            box(title: " Glossary ", lines: lines, style: theme, Rect(x: (state.width - width) / 2, y: 2, width: width, height: lines.count + 2), &canvas)
            return
        }
        let matches = query.isEmpty ? glossary.entries : glossary.search(query)
        let selection = min(state.teaching.glossarySelection, max(0, matches.count - 1))
        if matches.isEmpty { lines.append("No term matches \"\(query)\".") }
        if matches.indices.contains(selection) {
            let entry = matches[selection]
            lines.append(entry.term + (entry.aliases.isEmpty ? "" : " (also: \(entry.aliases.prefix(6).joined(separator: ", ")))"))
            lines += wrap(entry.definition, width: width - 4)
            if !entry.seeAlso.isEmpty { lines.append("see also: " + entry.seeAlso.joined(separator: ", ")) }
            lines.append("")
            let others = matches.enumerated().filter { $0.offset != selection }.prefix(8).map(\.element.term)
            if !others.isEmpty { lines += wrap("more (↑/↓): " + others.joined(separator: " · "), width: width - 4) }
        }
        let height = min(state.height - 2, lines.count + 2)
        box(title: " Glossary (type to search, ↑/↓ next match, Esc closes) ", lines: lines, style: theme,
            Rect(x: (state.width - width) / 2, y: max(1, (state.height - height) / 2), width: width, height: height), &canvas)
    }

    /// The first-run welcome's text.
    static let welcomeText = """
        Tokenscope runs a real language model, SmolLM2-135M-Instruct, on your CPU and shows what happens inside while it works — every number on screen comes from this run.

        Five views share one selected token (←/→): 1 Tokens (how text becomes tokens), 2 Sampling (the next-token distribution and the dice roll), 3 Attention (what each head looks at), 4 Embeddings (neighbours and analogies), 5 Forward pass (one token through all 30 blocks).

        L opens the lessons: a guided course on the live model, step by step, with tasks. y explains the view on screen with its numbers; g searches the glossary; ? lists every key; e edits the prompt; q quits.

        Press any key to start. (tokenscope --welcome shows this again.)
        """

    static func renderWelcome(_ state: AppState, _ theme: Theme, _ canvas: inout Canvas) {
        let width = min(state.width - 2, 90)
        let lines = wrap(welcomeText, width: width - 4)
        let height = min(state.height - 2, lines.count + 2)
        box(title: " Welcome to Tokenscope ", lines: lines, style: theme,
            Rect(x: (state.width - width) / 2, y: max(1, (state.height - height) / 2), width: width, height: height), &canvas)
    }
}
