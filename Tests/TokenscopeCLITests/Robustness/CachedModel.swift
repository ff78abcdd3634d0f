import Foundation
import TokenscopeTestSupport

// MARK: - Whether the tests that run the real model can

/// The cached default model and its state, for `.enabled(if:)` on suites that run the binary on it.
enum CachedModel {
    /// `${XDG_CACHE_HOME:-~/.cache}/tokenscope/models`.
    static var cache: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return base + "/tokenscope/models"
    }

    /// The default model file.
    static var path: String { cache + "/SmolLM2-135M-Instruct.Q4_1.gguf" }

    /// Whether the model is there and the binary built.
    static var isReady: Bool {
        FileManager.default.fileExists(atPath: path) && FileManager.default.isExecutableFile(atPath: TokenscopeBinary.path)
    }

    /// Runs the binary with a time limit (so a hang fails the test instead of stalling the run):
    /// status 124 means it was stopped after `seconds`.
    static func run(_ arguments: [String], seconds: Int = 120, environment: [String: String] = [:]) throws -> ProcessOutput {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try ProcessRunner.run("/usr/bin/timeout", ["-k", "5", String(seconds), try TokenscopeBinary.require()] + arguments, environment: merged)
    }

    /// Runs a shell command line (for pipes and process substitution) with a time limit; `$TS` is the binary.
    static func shell(_ command: String, seconds: Int = 120) throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["TS"] = try TokenscopeBinary.require()
        return try ProcessRunner.run("/usr/bin/timeout", ["-k", "5", String(seconds), "/bin/bash", "-c", command], environment: environment)
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
