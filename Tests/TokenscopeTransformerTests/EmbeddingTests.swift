import Testing
import TokenscopeTestSupport
import TokenscopeTransformer

@Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct EmbeddingTests {
    @Test func aTokenIsItsOwnNearestNeighbour() throws {
        let model = try ModelFixture.smolLM2()
        let space = EmbeddingSpace(model: model)
        let king = try space.word(" king")
        #expect(king.ids.count == 1)
        let neighbours = space.nearest(to: king.vector, k: 5)
        #expect(neighbours.first?.id == king.ids[0])
        #expect(abs((neighbours.first?.similarity ?? 0) - 1) < 1e-4)
        #expect(zip(neighbours, neighbours.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
    }

    @Test func analogiesExcludeTheirInputs() throws {
        let model = try ModelFixture.smolLM2()
        let space = EmbeddingSpace(model: model)
        let terms = try EmbeddingSpace.parseExpression(" king - man + woman")
        #expect(terms.map(\.sign) == [1, -1, 1])
        let (words, results) = try space.analogy(terms, k: 10)
        let inputs = Set(words.flatMap(\.ids))
        #expect(results.count == 10)
        #expect(results.allSatisfy { !inputs.contains($0.id) })
    }

    @Test func wordsOfSeveralTokensUseTheirMean() throws {
        let model = try ModelFixture.smolLM2()
        let space = EmbeddingSpace(model: model)
        let word = try space.word("tokenscope")
        #expect(word.ids.count > 1)
        let rows = word.ids.map { space.vector(of: $0) }
        for i in 0..<8 {
            let mean = rows.reduce(0) { $0 + $1[i] } / Float(rows.count)
            #expect(abs(word.vector[i] - mean) < 1e-6)
        }
        #expect(throws: ModelError.self) { try space.word("") }
    }
}
