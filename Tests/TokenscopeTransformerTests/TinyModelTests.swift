import Testing
import TokenscopeTestSupport
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - The tiny model, through the real loader

/// The model-free fixture every explorer test runs on: the GGUF the test support writes loads with
/// the real `TransformerModel(path:)`, with the shape and the tokenizer it was written with.
@Suite("Tiny model")
struct TinyModelTests {
    @Test func loadsThroughTheRealLoader() throws {
        let model = try TinyModel.model()
        #expect(model.configuration.blockCount == 2)
        #expect(model.configuration.width == 32)
        #expect(model.configuration.kvHeadCount == 2)
        #expect(model.tokenizer.vocabularySize == TinyModel.vocabulary.count)
        // The merges apply: "The" is one token, " capital" one token.
        let ids = model.tokenizer.encode("The capital", parseSpecial: false)
        #expect(ids.map { model.tokenizer.tokenString($0) } == ["The", "Ġcapital"])
        #expect(model.tokenizer.encode("<|im_start|>", parseSpecial: true) == [1])
    }
}
