import TokenscopeFormats

// MARK: - Loading from GGUF

extension BPETokenizer {
    /// Reads a byte-level BPE tokenizer from GGUF metadata (`tokenizer.ggml.*`).
    public convenience init(gguf file: GGUFFile) throws(TokenizerError) {
        let m = file.metadata
        do {
            let model = try m.string("tokenizer.ggml.model")
            guard model == "gpt2" else {
                throw TokenizerError.invalid("\(file.path): tokenizer model '\(model)' is not byte-level BPE ('gpt2')")
            }
            let preName = try m.stringIfPresent("tokenizer.ggml.pre") ?? "gpt2"
            guard let pre = PreTokenizer(ggufName: preName) else {
                throw TokenizerError.unsupportedPreTokenizer(name: "'\(preName)'", file: file.path)
            }
            let tokens = try m.strings("tokenizer.ggml.tokens")
            let merges = try m.strings("tokenizer.ggml.merges")
            let types = try m.intsIfPresent("tokenizer.ggml.token_type") ?? []
            let bos = try m.intIfPresent("tokenizer.ggml.bos_token_id")
            let eos = try m.intIfPresent("tokenizer.ggml.eos_token_id")
            let addsBOS = try m.boolIfPresent("tokenizer.ggml.add_bos_token") ?? false
            var ends = Set<Int>()
            if let eos { ends.insert(eos) }
            if let eot = try m.intIfPresent("tokenizer.ggml.eot_token_id") { ends.insert(eot) }
            // End of text ends generation too (SmolLM2 stops on 0 or 2).
            if let endOfText = tokens.firstIndex(of: "<|endoftext|>") { ends.insert(endOfText) }
            let count = tokens.count
            ends = ends.filter { $0 >= 0 && $0 < count }
            try self.init(
                tokens: tokens, merges: merges, tokenTypes: types, preTokenizer: pre,
                bosID: bos.flatMap { $0 >= 0 && $0 < count ? $0 : nil }, eosIDs: ends, addsBOS: addsBOS)
        } catch let error as TokenizerError {
            throw error
        } catch let error as ModelFileError {
            throw .file(error)
        } catch {
            throw .invalid("\(error)")
        }
    }
}
