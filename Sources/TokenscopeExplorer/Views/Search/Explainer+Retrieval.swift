import Foundation

// MARK: - What the explain panel says about search and similarity

extension Explainer {
    static func search(_ state: AppState) -> [String] {
        let view = state.searchView
        guard let index = view.index else { return ["The documents are being read, cut into chunks and embedded; the explanation follows."] }
        var out = ["\(Plural.count(index.documents, "document")) \(index.documents == 1 ? "is" : "are") cut into \(Plural.count(index.chunks, "chunk")) (paragraphs; long ones in windows of at most \(index.chunkSize) word pieces sharing \(index.overlap)), and each chunk is embedded once by the sentence encoder and kept in the index cache."]
        guard let report = view.report, let best = report.semantic.first else {
            out.append("Type a question with ⏎: it is embedded the same way, and the chunks whose embeddings point the same way (highest cosine) come first.")
            return out
        }
        out.append(String(format: "By meaning, the best chunk has cosine %.3f with the question; by keywords (BM25), chunks are ranked by the rare words they share with it.", best.score))
        if best.matched.isEmpty {
            out.append("The best chunk by meaning shares no word piece with the question: keywords alone could not have found it.")
        } else {
            out.append("The best chunk by meaning shares \(best.matched.count) of the question's \(best.matched.count + best.unmatched.count) word pieces.")
        }
        out.append("r sends the top \(min(view.k, report.semantic.count)) chunks with the question into the decoder's prompt: the sampling view then shows the answer's probability with and without them.")
        return out
    }

    static func similarity(_ state: AppState) -> [String] {
        let view = state.similarityView
        var out = ["An encoder reads the whole text at once — every token sees every token — and predicts no next token. Its output here is one vector per sentence: the mean of the last hidden states, scaled to length 1."]
        guard let report = view.report, report.sentences == view.sentences, report.sentences.count >= 2 else { return out }
        var best = (0, 1, -Float.infinity)
        for i in 0..<report.sentences.count {
            for j in (i + 1)..<report.sentences.count where report.cosine(i, j) > best.2 { best = (i, j, report.cosine(i, j)) }
        }
        out.append(String(format: "The cosine of two such vectors is their dot product: 1 for the same direction, near 0 for unrelated text. The closest pair here is sentences %d and %d, at %.2f.", best.0 + 1, best.1 + 1, best.2))
        return out
    }
}
