// libFuzzer target for tokenizers read from GGUF metadata: every input must either give a
// tokenizer or end in a typed error (TokenizerError / ModelFileError); a tokenizer that loads must
// encode and decode text, special tokens and invalid UTF-8 without trapping.
// Build and run: see Docs/FUZZING.md.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? GGUFFile(mapping: MappedFile(copying: bytes, label: "fuzz.gguf")) else { return 0 }
    guard let tokenizer = try? GGUFTokenizer.load(file) else { return 0 }
    let samples: [[UInt8]] = [
        Array("Hello world, it's 2024! <s> </s> <|endoftext|> [CLS] é 中文 🦙\n\n\t  x".utf8),
        [0xFF, 0xC3, 0x28, 0xE2, 0x96, 0x81, 0x00, 0x20, 0x20],
        Array(bytes.suffix(64)),
    ]
    for sample in samples {
        for parseSpecial in [false, true] {
            let ids = tokenizer.encode(bytes: sample, parseSpecial: parseSpecial, addSpecialTokens: parseSpecial)
            _ = tokenizer.decode(ids)
            for id in ids.prefix(8) {
                _ = tokenizer.tokenBytes(id)
                _ = tokenizer.tokenString(id)
                _ = tokenizer.kind(of: id)
            }
        }
    }
    _ = tokenizer.kindDescription
    return 0
}
