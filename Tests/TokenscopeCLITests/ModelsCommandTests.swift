import Foundation
import Testing
import TokenscopeTestSupport

/// `tokenscope models`, and what the model commands do with a file of an architecture Tokenscope
/// does not run: `inspect` and `tokenize` open it, the commands that run a model (and the
/// explorer) refuse it in one line naming the architecture and the supported ones.
@Suite struct ModelsCommandTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the binary with `arguments`, the model cache under `cache` (an XDG cache folder).
    static func run(_ arguments: [String], cache: String, executable: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? TokenscopeBinary.require())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = cache
        environment["TOKENSCOPE_MODEL"] = nil
        process.environment = environment
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                   stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// A cache holding the tiny Llama and a tiny model of the made-up architecture `mamba` (same
    /// tensors and byte-level BPE tokenizer, keys under `mamba.`).
    static func cache() throws -> (root: String, tiny: String, unknown: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-cache-\(UUID().uuidString)").path
        let models = root + "/tokenscope/models"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        try Data(TinyModel.fileBytes()).write(to: URL(fileURLWithPath: models + "/tiny.gguf"))
        try Data(TinyModel.fileBytes(architecture: "mamba")).write(to: URL(fileURLWithPath: models + "/unknown.gguf"))
        return (root, models + "/tiny.gguf", models + "/unknown.gguf")
    }

    @Test(.enabled(if: TokenscopeBinary.isPresent, "needs the release binary: swift build -c release"))
    func listsTheCacheWithWhatRunsAndWhatOnlyOpens() throws {
        let cache = try Self.cache()
        defer { try? FileManager.default.removeItem(atPath: cache.root) }
        let extra = ArchitectureFixtures.generated("gpt2")
        let result = try Self.run(["models", "--json", "--model", extra], cache: cache.root)
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["path"] as? String } == [cache.tiny, cache.unknown, extra])
        #expect(entries.map { $0["architecture"] as? String } == ["llama", "mamba", "gpt2"])
        #expect(entries.map { $0["use"] as? String } == ["run", "inspect", "run"])
        #expect(entries.map { $0["name"] as? String } == ["tiny-llama-test", "tiny-mamba-test", "generated gpt2"])
        #expect(entries[0]["bytes"] as? Int == TinyModel.fileBytes().count)
        #expect((entries[1]["reason"] as? String)?.contains("architecture 'mamba' is not supported (supported: llama, gpt2, qwen2, qwen3, gemma3)") == true)
        let table = try Self.run(["models"], cache: cache.root)
        #expect(table.status == 0)
        #expect(table.stdout.contains("tiny-llama-test") && table.stdout.contains("inspect") && table.stdout.contains("1 of 2 open in the explorer"))
        let empty = try Self.run(["models"], cache: cache.root + "/nothing")
        #expect(empty.status == 0 && empty.stdout.contains("no models in"))
    }

    @Test(.enabled(if: TokenscopeBinary.isPresent, "needs the release binary: swift build -c release"))
    func anUnknownArchitectureOpensForInspectAndTokenizeOnly() throws {
        let cache = try Self.cache()
        defer { try? FileManager.default.removeItem(atPath: cache.root) }
        let inspect = try Self.run(["inspect", "--model", cache.unknown, "--json"], cache: cache.root)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        #expect(report["architecture"] as? String == "mamba" && report["block_count"] as? Int == TinyModel.blockCount)
        #expect(report["use"] as? String == "inspect" && (report["reason"] as? String)?.contains("'mamba' is not supported") == true)
        let text = try Self.run(["inspect", "--model", cache.unknown], cache: cache.root)
        #expect(text.status == 0 && text.stdout.contains("runs: no — architecture 'mamba' is not supported"))
        // A file that names only its architecture still opens: the sizes it does not state show as "-".
        var bare = GGUFWriter()
        bare.header(tensors: 0, keys: 1)
        bare.key("general.architecture", string: "rwkv7")
        let barePath = try bare.write()
        defer { try? FileManager.default.removeItem(atPath: barePath) }
        let minimal = try Self.run(["inspect", "--model", barePath], cache: cache.root)
        #expect(minimal.status == 0, "\(minimal.stderr)")
        #expect(minimal.stdout.contains("architecture rwkv7") && minimal.stdout.contains("blocks -, width -"))
        let tokenize = try Self.run(["tokenize", "--model", cache.unknown, "--json", "The capital"], cache: cache.root)
        #expect(tokenize.status == 0, "\(tokenize.stderr)")
        #expect(tokenize.stdout.contains("\"ids\""))
        for command in [["predict", "The"], ["generate", "The"], []] {
            let refused = try Self.run(command + ["--model", cache.unknown], cache: cache.root)
            #expect(refused.status == 1, "\(command): \(refused.stdout)")
            let lines = refused.stderr.split(separator: "\n")
            if command.isEmpty {
                // Without a terminal the explorer refuses to start; under a pseudo-terminal it
                // refuses the file, in one line, and gives the terminal back.
                #expect(refused.stderr.contains("needs a terminal"))
                let binary = try TokenscopeBinary.require()
                let pty = try Self.run(["-qec", "\(binary) --model \(cache.unknown)", "/dev/null"], cache: cache.root, executable: "/usr/bin/script")
                #expect(pty.status == 1, "\(pty.stdout)")
                let shown = pty.stdout.split(whereSeparator: \.isNewline).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                #expect(shown.count == 1 && shown[0].contains("architecture 'mamba' is not supported (supported: llama, gpt2, qwen2, qwen3, gemma3)"),
                        "\(pty.stdout)")
                continue
            }
            #expect(lines.count == 1 && lines[0].contains("architecture 'mamba' is not supported (supported: llama, gpt2, qwen2, qwen3, gemma3)"),
                    "\(command): \(refused.stderr)")
        }
    }
}

/// The generated models of the transformer tests (random weights checked against transformers).
enum ArchitectureFixtures {
    static func generated(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TokenscopeTransformerTests/Fixtures/generated/\(name).gguf").path
    }
}
