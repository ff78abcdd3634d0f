import Foundation

// MARK: - Keyword ranking

/// Okapi BM25 over the same chunks as the embedding index, to show what keywords find and miss.
///
/// score(q, d) = Σ over query terms t of idf(t) · f(t, d)(k1 + 1) / (f(t, d) + k1(1 − b + b·|d|/avgdl)),
/// idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)); terms are lower-cased runs of letters and digits.
public struct BM25: Sendable {
    /// Term-frequency saturation.
    public let k1: Double
    /// Length normalisation.
    public let b: Double
    let postings: [String: [(document: Int, count: Int)]]
    let lengths: [Int]  // (documents): terms per document
    let averageLength: Double

    /// Indexes `texts` (one per chunk).
    public init(texts: [String], k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
        var postings: [String: [(document: Int, count: Int)]] = [:]
        var lengths: [Int] = []
        lengths.reserveCapacity(texts.count)
        for (index, text) in texts.enumerated() {
            let terms = Self.terms(text)
            lengths.append(terms.count)
            var counts: [String: Int] = [:]
            for term in terms { counts[term, default: 0] += 1 }
            for (term, count) in counts { postings[term, default: []].append((index, count)) }
        }
        self.postings = postings
        self.lengths = lengths
        self.averageLength = lengths.isEmpty ? 0 : Double(lengths.reduce(0, +)) / Double(lengths.count)
    }

    /// Lower-cased runs of letters and digits.
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                terms.append(current)
                current = ""
            }
        }
        if !current.isEmpty { terms.append(current) }
        return terms
    }

    /// The `k` best chunks for `query`, best first (chunks sharing no term are left out).
    public func search(_ query: String, k: Int) -> [(index: Int, score: Float)] {
        let count = Double(lengths.count)
        var scores: [Int: Double] = [:]
        for term in Set(Self.terms(query)) {
            guard let list = postings[term] else { continue }
            let idf = log(1 + (count - Double(list.count) + 0.5) / (Double(list.count) + 0.5))
            for (document, frequency) in list {
                let f = Double(frequency)
                let norm = k1 * (1 - b + b * Double(lengths[document]) / max(averageLength, 1))
                scores[document, default: 0] += idf * f * (k1 + 1) / (f + norm)
            }
        }
        let ranked = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ranked.prefix(max(0, k)).map { ($0.key, Float($0.value)) }
    }
}
