import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Token details: BPE replay, comparisons, ranks

extension LiveExplorerEngine {
    /// Adds the tokens view's details (the BPE replay of the word under `analysis.position`, the
    /// comparison tokenizers' results) to an analysis.
    func addTokenDetails(to analysis: inout PositionAnalysis) {
        analysis.replay = bpeReplay(position: analysis.position, in: session.tokens)
        if !comparisonTokenizers.isEmpty {
            // Once per sequence, not once per selection move.
            if comparisonCache?.tokens != session.tokens {
                let text = model.tokenizer.decode(session.tokens)
                comparisonCache = (session.tokens, comparisonTokenizers.map { $0.compare(text) })
            }
            analysis.comparisons = comparisonCache?.results ?? []
        }
    }

    /// The merges of the whole pre-token containing the token at `position`, as BPE applies them to
    /// it. The pre-token is found by running the pre-tokenizer over the run of ordinary tokens around
    /// the position (special tokens split runs, as they split the text when encoding). Memory and time
    /// are linear in the word: the replay keeps the merge log and rebuilds a step when it is shown.
    func bpeReplay(position: Int, in ids: [Int]) -> BPEReplay? {
        guard let t = model.bpeTokenizer, position >= 0, position < ids.count, t.kind(of: ids[position]) == .normal else { return nil }
        var low = position, high = position + 1
        while low > 0 && t.kind(of: ids[low - 1]) == .normal { low -= 1 }
        while high < ids.count && t.kind(of: ids[high]) == .normal { high += 1 }
        var bytes: [UInt8] = []
        var starts: [Int] = []  // (high - low): first byte of each token in `bytes`
        for i in low..<high {
            starts.append(bytes.count)
            bytes += t.tokenBytes(ids[i])
        }
        let start = starts[position - low]
        let pieces = bytes.withUnsafeBufferPointer { t.preTokenizer.pieces(of: $0) }
        guard let piece = pieces.first(where: { $0.contains(start) }) ?? pieces.last(where: { $0.lowerBound <= start }) else { return nil }
        let word = Array(bytes[piece])
        let log = t.mergeLog(String(decoding: word, as: UTF8.self))
        var covered = low..<low
        for i in low..<high {
            let range = starts[i - low]..<(starts[i - low] + t.tokenBytes(ids[i]).count)
            if range.overlaps(piece) || (range.isEmpty && piece.contains(range.lowerBound)) {
                covered = covered.isEmpty ? i..<(i + 1) : covered.lowerBound..<(i + 1)
            }
        }
        var labels: [Int: String] = [:]
        for id in log.initial where labels[id] == nil { labels[id] = displayPiece(id) }
        for entry in log.entries {
            for id in [Int(entry.left), Int(entry.right), Int(entry.result)] where labels[id] == nil { labels[id] = displayPiece(id) }
        }
        return BPEReplay(word: TokenSpelling.visible(String(decoding: word, as: UTF8.self)), log: log, labels: labels,
                         positions: covered.isEmpty ? position..<(position + 1) : covered)
    }

    /// A candidate's text as decoded, or its bytes in hex (‹E2 80›) when they are not whole UTF-8
    /// characters: a byte token alone would otherwise show as a replacement character.
    func candidateText(_ id: Int) -> String {
        let bytes = model.tokenizer.tokenBytes(id)
        guard String(validating: bytes, as: UTF8.self) != nil else { return TokenSpelling.hex(bytes) }
        return model.tokenizer.decode([id])
    }

    /// A vocabulary entry as text with visible whitespace, or its bytes in hex when they are not whole characters.
    func displayPiece(_ id: Int?) -> String {
        guard let id else { return "?" }
        let bytes = model.tokenizer.tokenBytes(id)
        return TokenSpelling.label(bytes: bytes)
    }
}
