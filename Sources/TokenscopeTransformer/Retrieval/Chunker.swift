import TokenscopeTokenizers

// MARK: - Chunking

/// Splits documents into chunks by paragraph (text between blank lines); a paragraph longer than
/// ``size`` word pieces becomes overlapping windows of whole words, each at most ``size`` pieces,
/// the next starting ``overlap`` pieces before the previous one ended.
public struct Chunker: Sendable {
    /// Most word pieces in a chunk.
    public let size: Int
    /// Word pieces shared by consecutive windows of one paragraph.
    public let overlap: Int

    /// A chunker; `size` must leave room for `[CLS]` and `[SEP]` within `maxTokens`, `overlap` < `size`.
    public init(size: Int, overlap: Int, maxTokens: Int) throws(RetrievalError) {
        guard size >= 8, size <= maxTokens - 2 else {
            throw .invalidSetting("chunk size \(size) is not in 8...\(maxTokens - 2) word pieces (the encoder takes \(maxTokens) tokens)")
        }
        guard overlap >= 0, overlap < size / 2 + 1, overlap < size else {
            throw .invalidSetting("chunk overlap \(overlap) is not in 0...\(size / 2) word pieces")
        }
        self.size = size
        self.overlap = overlap
    }

    /// The chunks of document `index`, whose words are counted with `tokenizer`.
    public func chunks(of document: Document, index: Int, tokenizer: WordPieceTokenizer) -> [DocumentChunk] {
        let bytes = document.bytes
        var chunks: [DocumentChunk] = []
        // Words: maximal runs of non-whitespace bytes, with their paragraph number.
        var words: [(start: Int, end: Int, tokens: Int)] = []
        var i = 0
        var newlines = 0
        func flushParagraph() {
            chunks += windows(words, document: index)
            words.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A {
                newlines += 1
                if newlines >= 2 && !words.isEmpty { flushParagraph() }
                i += 1
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C {
                i += 1
            } else {
                newlines = 0
                let start = i
                while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0B || bytes[i] == 0x0C) {
                    i += 1
                }
                let count = tokenizer.encode(bytes: Array(bytes[start..<i]), parseSpecial: false, addSpecialTokens: false).count
                words.append((start, i, count))
            }
        }
        if !words.isEmpty { flushParagraph() }
        return chunks
    }

    /// Windows over one paragraph's words.
    private func windows(_ words: [(start: Int, end: Int, tokens: Int)], document: Int) -> [DocumentChunk] {
        var out: [DocumentChunk] = []
        var first = 0
        while first < words.count {
            var last = first, tokens = 0
            // At least one word (a single word longer than the window is truncated by the encoder).
            while last < words.count, last == first || tokens + words[last].tokens <= size {
                tokens += words[last].tokens
                last += 1
            }
            let start = words[first].start, end = words[last - 1].end
            out.append(DocumentChunk(document: document, offset: start, length: end - start, tokenCount: tokens))
            if last >= words.count { break }
            // Step back until `overlap` pieces are shared, always moving forward.
            var next = last, shared = 0
            while next - 1 > first, shared + words[next - 1].tokens <= overlap {
                shared += words[next - 1].tokens
                next -= 1
            }
            first = next
        }
        return out
    }
}
