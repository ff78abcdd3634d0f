import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Tokens view state and what it shows

/// The tokens view's own state.
public struct TokensViewState: Sendable, Equatable {
    /// How many merges the BPE replay has applied (0 = single bytes); nil shows the final tokens.
    public var replayStep: Int?
    /// The position the replay step belongs to (the step resets when the selection moves).
    public var replayPosition: Int?
    /// Whether the comparison tokenizers are shown.
    public var showComparison = true

    /// The default: replay at its end, comparison on.
    public init() {}

    /// The replay step to show at `position` for a replay of `count` merges.
    public func step(at position: Int, of count: Int) -> Int {
        replayPosition == position ? min(count, max(0, replayStep ?? count)) : count
    }
}

/// The BPE merges of one pre-token (the word under the selection), from single bytes to its tokens.
///
/// Holds the merge log, not the parts after every merge: a run of n spaces is one pre-token of n
/// merges, and snapshots would take O(n²) memory; ``parts(after:)`` rebuilds a step on demand.
public struct BPEReplay: Sendable, Equatable {
    /// The pre-token, with visible whitespace.
    public let word: String
    /// The merges, first to last, as token ids.
    public let log: MergeLog
    /// How each token id in the log is shown (visible whitespace, or its bytes in hex).
    public let labels: [Int: String]
    /// The positions of the sequence whose tokens lie in the word.
    public let positions: Range<Int>

    /// A replay of `word`.
    public init(word: String, log: MergeLog, labels: [Int: String], positions: Range<Int>) {
        self.word = word
        self.log = log
        self.labels = labels
        self.positions = positions
    }

    /// How many merges turn the bytes into the final tokens.
    public var stepCount: Int { log.count }

    /// The single-byte parts before any merge.
    public var initial: [String] { log.initial.map(label) }

    /// Merge `step` (1 = the first): the pair, its rank; its `parts` are the parts after it.
    public func merge(_ step: Int) -> MergeRow? {
        guard step >= 1, step <= log.count else { return nil }
        let entry = log.entries[step - 1]
        return MergeRow(rank: Int(entry.rank), left: label(Int(entry.left)), right: label(Int(entry.right)), parts: parts(after: step))
    }

    /// The parts after `step` merges (0 = the bytes), rebuilt from the log.
    public func parts(after step: Int) -> [String] {
        log.parts(after: min(max(0, step), log.count)).map(label)
    }

    func label(_ id: Int) -> String { labels[id] ?? "?" }
}

/// A tokenizer to compare the model's with, and the name it is shown under.
public struct ComparisonTokenizer: Sendable {
    /// Short display name (`MiniLM WordPiece`, a file name).
    public let name: String
    /// The tokenizer.
    public let tokenizer: any Tokenizer

    /// Names `tokenizer`.
    public init(name: String, tokenizer: any Tokenizer) {
        self.name = name
        self.tokenizer = tokenizer
    }

    /// The text through this tokenizer, each token as a visible piece.
    public func compare(_ text: String) -> TokenizerComparison {
        let ids = tokenizer.encode(text, parseSpecial: true)
        let pieces = ids.map { id -> String in
            switch tokenizer.kind(of: id) {
            case .control, .userDefined, .unknown, .unused: return tokenizer.tokenString(id)
            default: break
            }
            // Byte-level BPE spells bytes in its own alphabet: show the bytes; others show the vocabulary string.
            guard tokenizer is BPETokenizer else { return TokenSpelling.visible(tokenizer.tokenString(id)) }
            let bytes = tokenizer.tokenBytes(id)
            return String(validating: bytes, as: UTF8.self).map(TokenSpelling.visible) ?? TokenSpelling.hex(bytes)
        }
        return TokenizerComparison(name: name, ids: ids, pieces: pieces)
    }
}

/// The same text through another tokenizer.
public struct TokenizerComparison: Sendable, Equatable {
    /// The tokenizer's name.
    public let name: String
    /// The ids.
    public let ids: [Int]
    /// Each token as text with visible whitespace.
    public let pieces: [String]

    /// A comparison result.
    public init(name: String, ids: [Int], pieces: [String]) {
        self.name = name
        self.ids = ids
        self.pieces = pieces
    }
}
