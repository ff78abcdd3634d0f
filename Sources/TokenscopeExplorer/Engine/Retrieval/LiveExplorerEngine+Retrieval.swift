import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - Search and retrieval-augmented answers on the decoder

extension LiveExplorerEngine: RetrievalEngine {
    /// Tokens of the answer generated (greedily) with and without retrieval.
    static let answerLimit = 24
    /// Retrieved tokens listed as most attended.
    static let attendedCount = 10

    public var isEncoder: Bool { false }

    public func retrieve(_ request: RetrievalRequest, progress: (String) -> Void) -> RetrievalResult {
        guard case .answer(let question) = request else { return retrieval.retrieve(request, progress: progress) }
        do {
            return .answer(try answer(question, progress: progress))
        } catch {
            return .failed(request, "error: \(error)")
        }
    }

    /// The answer to `question` with its chunks (the sequence on screen must be that prompt, just
    /// run): greedy tokens, each one's probability with the chunks and with the question alone, and
    /// where the answer's attention goes in the chunks. The sequence is left as it was.
    func answer(_ question: RAGQuestion, progress: (String) -> Void) throws -> RAGReport {
        let text = ChatTemplate.chatML.render([ChatMessage(role: .user, content: question.prompt)], addGenerationPrompt: true)
        let ids = model.promptTokens(text)
        guard session.tokens == ids, !ids.isEmpty else {
            throw ModelError.invalidRequest("the prompt with the retrieved chunks is not the sequence on screen (it was cancelled or refused)")
        }
        let start = session.count
        progress("answering with retrieval")
        var answer: [Int] = [], with: [Float] = []
        var logits = session.lastLogits
        while true {
            let best = Softmax.top(logits, count: 1)[0]
            answer.append(best.id)
            with.append(best.probability)
            if isEnd(best.id) || answer.count >= Self.answerLimit { break }
            logits = try session.append([best.id])
        }
        // The positions whose next token is an answer token: the prompt's last, then the answer's.
        let queries = (start - 1)..<(start - 1 + answer.count)
        progress("reading the answer's attention")
        let attention = try attendedContext(text: text, ids: ids, contexts: question.contexts, queries: queries)
        try session.rewind(to: start)

        progress("answering without retrieval")
        let bareText = ChatTemplate.chatML.render([ChatMessage(role: .user, content: question.barePrompt)], addGenerationPrompt: true)
        let bareIDs = model.promptTokens(bareText)
        let forced = InferenceSession(model: model, options: TraceOptions(level: .off))
        logits = try forced.append(bareIDs)
        var without: [Float] = []
        for (n, id) in answer.enumerated() {
            without.append(Softmax.probability(of: id, in: logits) ?? 0)
            if n + 1 < answer.count { logits = try forced.append([id]) }
        }
        let free = InferenceSession(model: model, options: TraceOptions(level: .off))
        logits = try free.append(bareIDs)
        var bare: [Int] = []
        while true {
            let best = Softmax.top(logits, count: 1)[0].id
            if isEnd(best) { break }
            bare.append(best)
            if bare.count >= Self.answerLimit { break }
            logits = try free.append([best])
        }
        let tokens = zip(answer, zip(with, without)).map { id, pair in
            RAGToken(id: id, text: model.tokenizer.decode([id]), withRetrieval: pair.0, withoutRetrieval: pair.1)
        }
        return RAGReport(question: question.question, prompt: question.prompt, answer: tokens,
                         bareAnswer: model.tokenizer.decode(bare), attended: attention.tokens, contextShare: attention.share, chunkShares: attention.chunks,
                         promptTokens: ids.count, barePromptTokens: bareIDs.count)
    }

    /// The retrieved tokens the `queries` rows attend to most (mean over every layer, head and
    /// query row), and the mean share of those rows' attention on the retrieved text.
    func attendedContext(text: String, ids: [Int], contexts: [String], queries: Range<Int>) throws
        -> (tokens: [AttendedToken], share: Float, chunks: [Float])
    {
        // Which chunk each prompt token lies in, from the tokens' byte spans in the prompt text.
        let bytes = Array(text.utf8)
        var ranges: [Range<Int>] = []
        var searchFrom = 0
        for (n, context) in contexts.enumerated() {
            let needle = Array(("[\(n + 1)] " + context.replacingOccurrences(of: "\n", with: " ")).utf8)
            guard let found = Self.find(needle, in: bytes, from: searchFrom) else { continue }
            ranges.append(found..<(found + needle.count))
            searchFrom = found + needle.count
        }
        var chunkOf = [Int?](repeating: nil, count: ids.count)
        var offset = 0
        for (position, id) in ids.enumerated() {
            let length = model.tokenizer.tokenBytes(id).count
            if let chunk = ranges.firstIndex(where: { $0.contains(offset) }) { chunkOf[position] = chunk + 1 }
            offset += length
        }
        guard offset == bytes.count else { return ([], 0, []) }  // tokens that do not spell the text: no attribution
        var weights = [Double](repeating: 0, count: ids.count)  // (prompt positions)
        var share = 0.0, rows = 0.0
        for layer in 0..<layerCount {
            _ = try session.mapHeadAttention(layer: layer) { matrix in
                for q in queries where q < matrix.count {
                    for k in 0..<min(ids.count, q + 1) where chunkOf[k] != nil {
                        let w = Double(matrix.value(query: q, key: k))
                        weights[k] += w
                        share += w
                    }
                    rows += 1
                }
                return 0
            }
        }
        guard rows > 0 else { return ([], 0, []) }
        var chunks = [Float](repeating: 0, count: contexts.count)
        for (position, chunk) in chunkOf.enumerated() {
            if let chunk, chunk - 1 < chunks.count { chunks[chunk - 1] += Float(weights[position] / rows) }
        }
        // Content words: function words and punctuation take much of every row whatever the answer.
        let ranked = weights.indices.filter { position in
            guard chunkOf[position] != nil else { return false }
            let word = model.tokenizer.decode([ids[position]]).trimmingCharacters(in: .whitespaces).lowercased()
            return word.count(where: { $0.isLetter || $0.isNumber }) >= 2 && !Self.functionWords.contains(word)
        }.sorted { weights[$0] > weights[$1] }
        let tokens = ranked.prefix(Self.attendedCount).map { position in
            AttendedToken(text: model.tokenizer.decode([ids[position]]), chunk: chunkOf[position] ?? 0, position: position,
                          weight: Float(weights[position] / rows))
        }
        return (tokens, Float(share / rows), chunks)
    }

    /// Words left out of the most attended list (they draw attention in any text).
    static let functionWords: Set<String> = [
        "the", "an", "of", "to", "in", "on", "and", "is", "was", "for", "with", "at", "by", "it", "its", "as", "that",
        "this", "are", "be", "from", "or", "which", "who", "has", "have", "had", "were", "their", "they", "but",
    ]

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for i in start...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }
}
