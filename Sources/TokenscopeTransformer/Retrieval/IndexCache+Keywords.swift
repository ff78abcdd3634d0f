import Foundation
import TokenscopeFormats

// MARK: - The keyword index in the cache

/// The BM25 index kept beside the embedding index (`<key>.bm25.safetensors`, the same key: the
/// encoder, the chunk settings and every document's bytes), so reopening a document set reads the
/// postings back instead of splitting every chunk into terms again. Safetensors again: I32 tensors
/// `offsets` [terms + 1], `documents` and `counts` [postings], `lengths` [chunks]; metadata holds the
/// key, the sorted terms (a JSON list), k1 and b, and a SHA-256 over the terms and the tensors. A
/// file that fails a check is reported and rebuilt, never used.
extension IndexCache {
    /// The keyword index file of `key`.
    public func keywordsPath(for key: String) -> String { folder + "/\(key).bm25.safetensors" }

    /// What loading the keyword index found.
    public enum KeywordLookup: Sendable {
        case hit(BM25)
        case miss
        case corrupt(String)
    }

    /// The cached keyword index of `key`, checked: the key, the hash, and arrays that fit together
    /// and index exactly `chunkCount` chunks.
    public func loadKeywords(key: String, chunkCount: Int) -> KeywordLookup {
        let file = keywordsPath(for: key)
        guard FileManager.default.fileExists(atPath: file) else { return .miss }
        let tensors: SafetensorsFile
        do { tensors = try SafetensorsFile(path: file) } catch { return .corrupt("\(error)") }
        guard tensors.metadata["key"] == key else { return .corrupt("the key in the file does not match its name") }
        guard let termText = tensors.metadata["terms"],
            let terms = try? JSONSerialization.jsonObject(with: Data(termText.utf8)) as? [String]
        else { return .corrupt("the terms are missing or not a list of strings") }
        guard let k1 = tensors.metadata["k1"].flatMap(Double.init), let b = tensors.metadata["b"].flatMap(Double.init) else {
            return .corrupt("k1 or b is missing")
        }
        var hash = SHA256()
        hash.update(Array(termText.utf8))
        var arrays: [String: [Int32]] = [:]
        for name in ["offsets", "documents", "counts", "lengths"] {
            let view: TensorView
            do { view = try tensors.tensor(named: name) } catch { return .corrupt("\(error)") }
            guard view.type == .i32, view.shape.count == 1 else { return .corrupt("\(name) is \(view.shape) of \(view.type), expected a list of I32") }
            hash.update(view.bytes)
            arrays[name] = Array(view.bytes.bindMemory(to: Int32.self))
        }
        guard hash.finalizeHex() == tensors.metadata["sha256"] else { return .corrupt("the keyword index does not match its SHA-256") }
        let offsets = arrays["offsets"] ?? [], documents = arrays["documents"] ?? [], counts = arrays["counts"] ?? [], lengths = arrays["lengths"] ?? []
        guard lengths.count == chunkCount else { return .corrupt("it indexes \(lengths.count) chunks, not \(chunkCount)") }
        guard offsets.count == terms.count + 1, offsets.first == 0, offsets.last.map(Int.init) == documents.count,
            zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), counts.count == documents.count
        else { return .corrupt("the posting offsets do not fit the terms and postings") }
        guard documents.allSatisfy({ $0 >= 0 && Int($0) < chunkCount }), counts.allSatisfy({ $0 >= 1 }), lengths.allSatisfy({ $0 >= 0 }),
            zip(terms, terms.dropFirst()).allSatisfy({ $0 < $1 })
        else { return .corrupt("a posting, count, length or term order is out of range") }
        return .hit(BM25(k1: k1, b: b, terms: terms, offsets: offsets, documents: documents, counts: counts, lengths: lengths))
    }

    /// Writes `keywords` under `key` (a temporary file, then renamed).
    public func storeKeywords(_ keywords: BM25, key: String) throws(RetrievalError) {
        let file = keywordsPath(for: key)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let termData = try JSONSerialization.data(withJSONObject: keywords.terms)
            let termText = String(decoding: termData, as: UTF8.self)
            let tensors: [(name: String, values: [Int32])] = [
                ("offsets", keywords.offsets), ("documents", keywords.documents), ("counts", keywords.counts), ("lengths", keywords.lengths),
            ]
            var hash = SHA256()
            hash.update(Array(termText.utf8))
            var body = Data()
            var entries: [String: Any] = [:]
            for tensor in tensors {
                let start = body.count
                tensor.values.withUnsafeBytes { bytes in
                    hash.update(bytes)
                    body.append(contentsOf: bytes)
                }
                entries[tensor.name] = ["dtype": "I32", "shape": [tensor.values.count], "data_offsets": [start, body.count]]
            }
            entries["__metadata__"] = ["key": key, "terms": termText, "k1": "\(keywords.k1)", "b": "\(keywords.b)",
                                       "sha256": hash.finalizeHex(), "format": "tokenscope keyword index v1"]
            var json = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
            while json.count % 8 != 0 { json.append(0x20) }
            var data = Data()
            var length = UInt64(json.count).littleEndian
            withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
            data.append(json)
            data.append(body)
            let temporary = file + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
            try data.write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
            try FileManager.default.moveItem(atPath: temporary, toPath: file)
        } catch {
            throw .unreadable(path: file, reason: "cannot write the keyword index cache: \(error.localizedDescription)")
        }
    }

    /// How the keyword index was opened.
    public enum KeywordSource: Sendable, Equatable {
        /// Read from the cache file.
        case cache
        /// Built from the chunk texts (no file, or one that failed a check: the reason), then stored.
        case built(corrupt: String?)
    }

    /// The keyword index of the `chunkCount` chunks of `key`: the cached one when it checks out,
    /// else built from `texts()` and stored. A cache that cannot be written is not an error: the
    /// index is returned with `storeProblem` set.
    public func openKeywords(key: String, chunkCount: Int, texts: () -> [String]) -> (keywords: BM25, source: KeywordSource, storeProblem: String?) {
        var corrupt: String?
        switch loadKeywords(key: key, chunkCount: chunkCount) {
        case .hit(let keywords): return (keywords, .cache, nil)
        case .miss: break
        case .corrupt(let reason): corrupt = reason
        }
        let keywords = BM25(texts: texts())
        do {
            try storeKeywords(keywords, key: key)
            return (keywords, .built(corrupt: corrupt), nil)
        } catch {
            return (keywords, .built(corrupt: corrupt), error.description)
        }
    }
}
