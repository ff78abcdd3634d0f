import ArgumentParser
import Foundation
import TokenscopeExplorer

/// `tokenscope glossary [TERM] [--json]`: the terms the screens and lessons use, explained.
struct GlossaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glossary", abstract: "Explain the terms the explorer uses (every term, or one).",
        discussion: "Without TERM, lists every term. With TERM, prints its entry (aliases and plural forms match), or the entries that mention it. The glossary is Assets/Glossary/glossary.md.")

    @Argument(help: "A term, e.g. \"attention sink\" or top-p.") var term: String?
    @Flag(name: .long, help: "Print JSON: [{\"term\", \"definition\", \"see_also\"}].") var json = false

    struct Output: Encodable {
        let term: String
        let definition: String
        let see_also: [String]
    }

    func run() throws {
        let glossary: Glossary
        do { glossary = try Glossary.shipped() } catch { throw CommandFailure(error.description) }
        var entries = glossary.entries
        if let term {
            if let exact = glossary.entry(term) {
                entries = [exact]
            } else {
                let found = glossary.search(term)
                guard !found.isEmpty else { throw CommandFailure("no glossary entry for '\(term)' and no entry mentions it; `tokenscope glossary` lists every term") }
                if !json { print("No entry named '\(term)'; entries that mention it:\n") }
                entries = found
            }
        }
        if json {
            try printJSON(entries.map { Output(term: $0.term, definition: $0.definition, see_also: $0.seeAlso) })
            return
        }
        if term == nil {
            let width = min(28, (entries.map { $0.term.count }.max() ?? 10) + 2)
            for entry in entries {
                print(entry.term.padding(toLength: width, withPad: " ", startingAt: 0) + Self.firstSentence(entry.definition))
            }
            return
        }
        for (index, entry) in entries.enumerated() {
            if index > 0 { print("") }
            print(entry.term + (entry.aliases.isEmpty ? "" : " (also: \(entry.aliases.joined(separator: ", ")))"))
            print(Self.wrap(entry.definition, width: 96).map { "  " + $0 }.joined(separator: "\n"))
            if !entry.seeAlso.isEmpty { print("  see also: " + entry.seeAlso.joined(separator: ", ")) }
        }
    }

    static func firstSentence(_ text: String) -> String {
        guard let end = text.range(of: ". ") else { return text }
        return String(text[..<end.lowerBound]) + "."
    }

    /// Words of `text` in lines of at most `width` columns.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
