import Foundation

// MARK: - Keyword ranking

/// Okapi BM25 over the same chunks as the embedding index, to show what keywords find and miss.
///
/// score(q, d) = Σ over query terms t of idf(t) · f(t, d)(k1 + 1) / (f(t, d) + k1(1 − b + b·|d|/avgdl)),
/// idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)); terms are lower-cased runs of letters and digits.
/// The postings are flat arrays (terms sorted), the form the index cache stores, so a reopened
/// document set reads them back instead of re-splitting every chunk (see `IndexCache+Keywords`).
public struct BM25: Sendable, Equatable {
    /// Term-frequency saturation.
    public let k1: Double
    /// Length normalisation.
    public let b: Double
    /// The terms, sorted; a term's row in `offsets`.
    let terms: [String]
    let rows: [String: Int]
    /// Row r's postings are `documents[offsets[r]..<offsets[r + 1]]` (chunk indexes, ascending) with
    /// the term's count in each at the same places of `counts`.
    let offsets: [Int32]  // (terms + 1)
    let documents: [Int32]  // (postings)
    let counts: [Int32]  // (postings)
    /// Terms per document.
    let lengths: [Int32]  // (documents)
    let averageLength: Double

    /// Indexes `texts` (one per chunk).
    public init(texts: [String], k1: Double = 1.2, b: Double = 0.75) {
        var rows: [String: Int] = [:]
        var postings: [[(document: Int32, count: Int32)]] = []  // (terms in order of first sight)
        var lengths: [Int32] = []
        lengths.reserveCapacity(texts.count)
        for (index, text) in texts.enumerated() {
            let terms = Self.terms(text)
            lengths.append(Int32(terms.count))
            var counts: [String: Int32] = [:]
            for term in terms { counts[term, default: 0] += 1 }
            for (term, count) in counts {
                if let row = rows[term] {
                    postings[row].append((Int32(index), count))
                } else {
                    rows[term] = postings.count
                    postings.append([(Int32(index), count)])
                }
            }
        }
        let sorted = rows.keys.sorted()
        var offsets: [Int32] = [0]
        var documents: [Int32] = [], counts: [Int32] = []
        offsets.reserveCapacity(sorted.count + 1)
        for term in sorted {
            for posting in postings[rows[term] ?? 0] {
                documents.append(posting.document)
                counts.append(posting.count)
            }
            offsets.append(Int32(documents.count))
        }
        self.init(k1: k1, b: b, terms: sorted, offsets: offsets, documents: documents, counts: counts, lengths: lengths)
    }

    /// An index from its arrays (built, or read back from the cache and checked by `init(stored:)`).
    init(k1: Double, b: Double, terms: [String], offsets: [Int32], documents: [Int32], counts: [Int32], lengths: [Int32]) {
        self.k1 = k1
        self.b = b
        self.terms = terms
        var rows: [String: Int] = [:]
        rows.reserveCapacity(terms.count)
        for (row, term) in terms.enumerated() { rows[term] = row }
        self.rows = rows
        self.offsets = offsets
        self.documents = documents
        self.counts = counts
        self.lengths = lengths
        self.averageLength = lengths.isEmpty ? 0 : Double(lengths.reduce(0) { $0 + Int($1) }) / Double(lengths.count)
    }

    public static func == (a: BM25, b: BM25) -> Bool {
        a.k1 == b.k1 && a.b == b.b && a.terms == b.terms && a.offsets == b.offsets && a.documents == b.documents
            && a.counts == b.counts && a.lengths == b.lengths
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

    /// How many chunks it indexes.
    public var documentCount: Int { lengths.count }

    /// The `k` best chunks for `query`, best first (chunks sharing no term are left out).
    public func search(_ query: String, k: Int) -> [(index: Int, score: Float)] {
        let count = Double(lengths.count)
        var scores: [Int: Double] = [:]
        for term in Set(Self.terms(query)) {
            guard let row = rows[term] else { continue }
            let range = Int(offsets[row])..<Int(offsets[row + 1])
            let idf = log(1 + (count - Double(range.count) + 0.5) / (Double(range.count) + 0.5))
            for i in range {
                let document = Int(documents[i])
                let f = Double(counts[i])
                let norm = k1 * (1 - b + b * Double(lengths[document]) / max(averageLength, 1))
                scores[document, default: 0] += idf * f * (k1 + 1) / (f + norm)
            }
        }
        let ranked = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ranked.prefix(max(0, k)).map { ($0.key, Float($0.value)) }
    }
}
