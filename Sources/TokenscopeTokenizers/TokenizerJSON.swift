import Foundation

// MARK: - HF tokenizer.json, read as a JSON tree

/// The parts of an HF `tokenizer.json` Tokenscope uses, read with `JSONSerialization` and checked
/// field by field (every complaint names the file and the field).
struct TokenizerJSON {
    let path: String
    let root: [String: Any]

    init(path: String) throws(TokenizerError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid("\(path): cannot read the file")
        }
        try self.init(data: data, path: path)
    }

    init(data: Data, path: String) throws(TokenizerError) {
        self.path = path
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalid("\(path): not valid JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any] else { throw .invalid("\(path): the top level is not a JSON object") }
        self.root = root
    }

    var model: [String: Any]? { root["model"] as? [String: Any] }

    func fail(_ reason: String) -> TokenizerError { .invalid("\(path): \(reason)") }

    /// `model.vocab` (token → id) as an array in id order; ids must be dense from 0.
    func vocabulary(extraTokens: [(String, Int)]) throws(TokenizerError) -> [String] {
        guard let vocab = model?["vocab"] as? [String: Any] else { throw fail("model.vocab is missing or not an object") }
        return try Self.denseVocabulary(vocab, extraTokens: extraTokens, path: path)
    }

    static func denseVocabulary(_ vocab: [String: Any], extraTokens: [(String, Int)], path: String) throws(TokenizerError) -> [String] {
        var pairs: [(String, Int)] = []
        pairs.reserveCapacity(vocab.count + extraTokens.count)
        for (token, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue else { throw .invalid("\(path): vocabulary entry '\(token)' has no integer id") }
            pairs.append((token, id))
        }
        pairs.append(contentsOf: extraTokens)
        let largest = pairs.map(\.1).max() ?? -1
        guard largest >= 0, largest < 10_000_000 else { throw .invalid("\(path): the vocabulary is empty or has an implausible id \(largest)") }
        let count = largest + 1
        var tokens = [String?](repeating: nil, count: count)
        for (token, id) in pairs {
            guard id >= 0 else { throw .invalid("\(path): token '\(token)' has a negative id \(id)") }
            if tokens[id] == nil { tokens[id] = token }
        }
        var out: [String] = []
        out.reserveCapacity(count)
        for (id, token) in tokens.enumerated() {
            guard let token else { throw .invalid("\(path): no token has id \(id) (ids must run 0..<\(count))") }
            out.append(token)
        }
        return out
    }

    /// `added_tokens`: (content, id, special).
    func addedTokens() throws(TokenizerError) -> [(content: String, id: Int, special: Bool)] {
        guard let list = root["added_tokens"] else { return [] }
        guard let array = list as? [[String: Any]] else { throw fail("added_tokens is not a list of objects") }
        var out: [(content: String, id: Int, special: Bool)] = []
        for (n, entry) in array.enumerated() {
            guard let content = entry["content"] as? String, let id = (entry["id"] as? NSNumber)?.intValue else {
                throw fail("added_tokens[\(n)] lacks content or id")
            }
            out.append((content, id, (entry["special"] as? Bool) ?? false))
        }
        return out
    }

    /// The type name of a component (`normalizer`, `pre_tokenizer`, …), or nil when it is null.
    func typeName(_ component: [String: Any]?) -> String? { component?["type"] as? String }
}
