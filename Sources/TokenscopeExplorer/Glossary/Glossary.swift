import Foundation

// MARK: - Glossary entries

/// One term of the glossary: its name, other spellings, a definition in plain language, and
/// related terms.
public struct GlossaryEntry: Sendable, Equatable {
    /// The term as the glossary names it (`attention sink`).
    public let term: String
    /// Other spellings the screens and lessons use (`sink`, `first-token attention`).
    public let aliases: [String]
    /// Related terms, each the `term` of another entry.
    public let seeAlso: [String]
    /// Two to five sentences, plain language.
    public let definition: String
    /// The line of the entry's heading in its file.
    public let line: Int
}

// MARK: - The glossary

/// Every term the screens and lessons use, read from `Assets/Glossary/glossary.md` (format in
/// `Docs/LESSONS.md`): searched by the explorer, printed by `tokenscope glossary`, and checked
/// against what the views draw by the tests.
public struct Glossary: Sendable, Equatable {
    /// Entries in file order.
    public let entries: [GlossaryEntry]
    /// Where they were read from.
    public let file: String
    /// Normalised term or alias → index into `entries`.
    private let index: [String: Int]

    /// The glossary shipped in the Assets folder.
    public static func shipped() throws(AssetError) -> Glossary {
        try load(AssetLocator.root().appendingPathComponent("Glossary/glossary.md"))
    }

    /// Reads and parses a glossary file.
    public static func load(_ url: URL) throws(AssetError) -> Glossary {
        let text: String
        switch AssetText.read(url.path) {
        case .success(let read): text = read
        case .failure(let error): throw AssetError(file: url.path, line: nil, reason: "cannot read the glossary: \(error.reason)")
        }
        return try parse(text, file: url.path)
    }

    /// Parses glossary text: `## term` headings, optional `aliases:` and `see also:` lines, then the
    /// definition (lines joined into one paragraph). Text before the first `##` is ignored.
    public static func parse(_ text: String, file: String) throws(AssetError) -> Glossary {
        struct Draft { var term: String; var line: Int; var aliases: [String] = []; var seeAlso: [(String, Int)] = []; var body: [String] = [] }
        var drafts: [Draft] = []
        for (offset, raw) in text.components(separatedBy: "\n").enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let number = offset + 1
            if line.hasPrefix("## ") {
                let term = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                guard !term.isEmpty else { throw AssetError(file: file, line: number, reason: "a heading with no term") }
                drafts.append(Draft(term: term, line: number))
                continue
            }
            guard !drafts.isEmpty else { continue }
            let lower = line.lowercased()
            if lower.hasPrefix("aliases:") {
                drafts[drafts.count - 1].aliases += list(String(line.dropFirst("aliases:".count)))
            } else if lower.hasPrefix("see also:") {
                drafts[drafts.count - 1].seeAlso += list(String(line.dropFirst("see also:".count))).map { ($0, number) }
            } else if line.hasPrefix("#") {
                throw AssetError(file: file, line: number, reason: "only `## term` headings may follow the first entry")
            } else if !line.isEmpty {
                drafts[drafts.count - 1].body.append(line)
            }
        }
        var index: [String: Int] = [:]
        for (i, draft) in drafts.enumerated() {
            guard !draft.body.isEmpty else { throw AssetError(file: file, line: draft.line, reason: "'\(draft.term)' has no definition") }
            for name in [draft.term] + draft.aliases {
                let key = normalized(name)
                if let other = index[key] {
                    throw AssetError(file: file, line: draft.line, reason: "'\(name)' is already defined by '\(drafts[other].term)' (line \(drafts[other].line))")
                }
                index[key] = i
            }
        }
        var entries: [GlossaryEntry] = []
        for draft in drafts {
            for (name, line) in draft.seeAlso where index[normalized(name)] == nil {
                throw AssetError(file: file, line: line, reason: "'\(draft.term)' refers to '\(name)', which has no entry")
            }
            entries.append(GlossaryEntry(term: draft.term, aliases: draft.aliases,
                                         seeAlso: draft.seeAlso.map { drafts[index[normalized($0.0)] ?? 0].term },
                                         definition: draft.body.joined(separator: " "), line: draft.line))
        }
        return Glossary(entries: entries, file: file, index: index)
    }

    private init(entries: [GlossaryEntry], file: String, index: [String: Int]) {
        self.entries = entries
        self.file = file
        self.index = index
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: Lookup

    /// A name in the form lookups compare: lower case, hyphens, underscores and runs of spaces as
    /// one space.
    public static func normalized(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").joined(separator: " ")
    }

    /// The entry whose term or alias is `name` (also without a plural `s`).
    public func entry(_ name: String) -> GlossaryEntry? {
        let key = Self.normalized(name)
        if let i = index[key] { return entries[i] }
        if key.hasSuffix("s"), let i = index[String(key.dropLast())] { return entries[i] }
        return nil
    }

    /// Entries matching `text`: an exact term or alias first, then terms and aliases containing it,
    /// then definitions containing it.
    public func search(_ text: String) -> [GlossaryEntry] {
        let key = Self.normalized(text)
        guard !key.isEmpty else { return entries }
        var out: [GlossaryEntry] = []
        if let exact = entry(text) { out.append(exact) }
        for entry in entries where !out.contains(entry) && ([entry.term] + entry.aliases).contains(where: { Self.normalized($0).contains(key) }) {
            out.append(entry)
        }
        for entry in entries where !out.contains(entry) && Self.normalized(entry.definition).contains(key) { out.append(entry) }
        return out
    }
}
