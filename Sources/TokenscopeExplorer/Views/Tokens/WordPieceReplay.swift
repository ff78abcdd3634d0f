import TokenscopeTokenizers

// MARK: - WordPiece steps

/// How WordPiece cut the word under the selection: from the word's start, the longest vocabulary
/// entry that begins the rest, then the longest `##` entry that begins what is left, and so on —
/// greedy longest match first. Nothing is merged: unlike BPE, WordPiece has no merge ranks.
///
/// The steps are found again from the vocabulary (every shorter prefix tried from the whole rest
/// down), and kept only when they give the tokens the tokenizer gave, so what is shown is what
/// happened.
public struct WordPieceReplay: Sendable, Equatable {
    /// One cut: what was left of the word, and the entry taken from its start.
    public struct Step: Sendable, Equatable {
        /// What was left of the word, `##` first when it is inside the word.
        public let rest: String
        /// The vocabulary entry taken (`##` first for a piece inside the word).
        public let piece: String
        /// Longer prefixes of `rest` that were tried first and are not in the vocabulary.
        public let longerMisses: Int
    }

    /// The word (after the normaliser: lower case, accents removed).
    public let word: String
    /// The cuts, first to last.
    public let steps: [Step]
    /// The positions of the sequence whose tokens spell the word.
    public let positions: Range<Int>

    /// The steps of the word whose tokens include `position` in `ids`; nil for special and
    /// unknown tokens (nothing was cut) and when the vocabulary does not give the same tokens again.
    public init?(tokenizer t: WordPieceTokenizer, ids: [Int], position: Int) {
        guard position >= 0, position < ids.count, t.kind(of: ids[position]) == .normal else { return nil }
        let prefix = t.continuationPrefix
        func continues(_ id: Int) -> Bool {
            let spelled = t.tokenString(id)
            return t.kind(of: id) == .normal && spelled.count > prefix.count && spelled.hasPrefix(prefix)
        }
        var low = position
        while low > 0 && continues(ids[low]) && t.kind(of: ids[low - 1]) == .normal { low -= 1 }
        var high = position + 1
        while high < ids.count && continues(ids[high]) { high += 1 }
        guard !continues(ids[low]) else { return nil }
        let scalars = Array(ids[low..<high].map { String(decoding: t.tokenBytes($0), as: UTF8.self) }.joined().unicodeScalars)
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        var steps: [Step] = []
        var start = 0
        while start < scalars.count {
            let lead = start == 0 ? "" : prefix
            var end = scalars.count
            while end > start, t.id(forToken: lead + text(start..<end)).map({ t.kind(of: $0) == .normal }) != true { end -= 1 }
            guard end > start else { return nil }
            steps.append(Step(rest: lead + text(start..<scalars.count), piece: lead + text(start..<end), longerMisses: scalars.count - end))
            start = end
        }
        guard steps.map(\.piece) == ids[low..<high].map(t.tokenString) else { return nil }
        word = text(0..<scalars.count)
        self.steps = steps
        positions = low..<high
    }
}
