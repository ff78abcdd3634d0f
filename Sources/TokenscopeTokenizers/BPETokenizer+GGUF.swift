import TokenscopeFormats

// MARK: - Loading from GGUF

extension BPETokenizer {
    /// Reads a byte-level BPE tokenizer from GGUF metadata (`tokenizer.ggml.*`): the vocabulary,
    /// merges, token types, the pre-tokenizer `tokenizer.ggml.pre` names (llama.cpp's `default`
    /// when absent), BOS/EOS/EOT ids and `add_bos_token`. Errors name the file and the key.
    public convenience init(gguf file: GGUFFile) throws(TokenizerError) {
        let m = file.metadata
        var building = false
        do {
            let model = try m.string("tokenizer.ggml.model")
            guard model == "gpt2" else {
                throw ModelFileError(file: file.path, key: "tokenizer.ggml.model", reason: "tokenizer model '\(model)' is not byte-level BPE ('gpt2')")
            }
            // llama.cpp treats a missing or empty name as its `default` pattern.
            let preName = try m.stringIfPresent("tokenizer.ggml.pre") ?? "default"
            guard let pre = PreTokenizer(ggufName: preName) else {
                if let need = PreTokenizerCatalog.unsupported[preName] {
                    throw TokenizerError.unsupportedPreTokenizer(name: "'\(preName)' (it needs \(need))", file: file.path)
                }
                throw TokenizerError.unsupportedPreTokenizer(name: "'\(preName)'", file: file.path)
            }
            let vocabulary = try GGUFTokenizer.Vocabulary(file)
            let tokens = ByteStrings(vocabulary.spellings)
            let merges = ByteStrings(try m.stringArray("tokenizer.ggml.merges"))
            let bos = try vocabulary.id(file, "tokenizer.ggml.bos_token_id", default: nil)
            let eos = try vocabulary.id(file, "tokenizer.ggml.eos_token_id", default: nil)
            let eot = try vocabulary.id(file, "tokenizer.ggml.eot_token_id", default: nil)
            let addsBOS = try m.boolIfPresent("tokenizer.ggml.add_bos_token") ?? false
            var ends = Set<Int>()
            if let eos { ends.insert(eos) }
            if let eot { ends.insert(eot) }
            // End of text ends generation too (SmolLM2 stops on 0 or 2).
            let endOfText = Array("<|endoftext|>".utf8)
            if let id = (0..<tokens.count).first(where: { tokens.length($0) == endOfText.count && tokens.withBytes($0) { $0.elementsEqual(endOfText) } }) {
                ends.insert(id)
            }
            building = true
            try self.init(
                vocabulary: tokens, merges: merges, tokenTypes: vocabulary.types, preTokenizer: pre,
                bosID: bos, eosIDs: ends, addsBOS: addsBOS && bos != nil)
        } catch let error as TokenizerError {
            // The vocabulary and types were checked above: what the builder finds wrong is in the
            // merges, or the vocabulary lacks every single byte.
            guard building, case .invalid(let reason) = error else { throw error }
            let key = reason.contains("merge") ? "tokenizer.ggml.merges" : "tokenizer.ggml.tokens"
            throw .file(ModelFileError(file: file.path, key: key, reason: reason))
        } catch let error as ModelFileError {
            throw .file(error)
        } catch {
            throw .invalid("\(file.path): \(error)")
        }
    }
}
