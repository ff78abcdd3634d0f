import Foundation
import Testing
import TokenscopeTestSupport

/// `tokenscope patch` as a script and a person use it: JSON on stdout, progress on stderr only
/// when asked (or on a terminal), Ctrl-C stopping it cleanly with exit status 130, and the error
/// for prompts of different lengths.
@Suite(.serialized, .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct PatchCommandTests {
    static let clean = ["--clean", "The capital of France is", "--corrupt", "The capital of Spain is"]

    /// Starts the binary with stderr going to a file (readable while it runs).
    static func start(_ arguments: [String]) throws -> (Process, Pipe, URL) {
        try ModelFixture.requireDefaultModelPath()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("patch-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TokenscopeBinary.require())
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        return (process, out, errors)
    }

    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test func progressGoesToStderrWithTheFlagAndJSONStaysClean() throws {
        let (process, out, errors) = try Self.start(["patch"] + Self.clean + ["--heads", "--json", "--progress"])
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = Self.text(errors)
        #expect(process.terminationStatus == 0, "\(stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(json.keys) == ["metric", "layers", "heads", "recovered", "seconds"])
        let lines = stderr.split(separator: "\n")
        #expect(lines.count >= 50, "one line per percent when stderr is a file")
        #expect(lines.last?.hasPrefix("patching: 270/270 runs (100%)") == true, "\(lines.last ?? "")")
    }

    @Test func withoutTheFlagAFileGetsNoProgress() throws {
        let (process, out, errors) = try Self.start(["patch"] + Self.clean + ["--heads", "--json"])
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(Self.text(errors).isEmpty, "stderr is not a terminal: \(Self.text(errors))")
    }

    @Test func ctrlCStopsPatchingWithAMessageAndStatus130() throws {
        let (process, out, errors) = try Self.start(["patch"] + Self.clean + ["--progress"])
        let deadline = Date().addingTimeInterval(120)
        while !Self.text(errors).contains("patching: ") && Date() < deadline && process.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        #expect(Self.text(errors).contains("patching: "), "progress before the interrupt")
        process.interrupt()  // SIGINT, as Ctrl-C sends
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = Self.text(errors)
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(process.terminationReason.rawValue) \(process.terminationStatus)")
        #expect(stderr.contains("patching stopped by Ctrl-C after ") && stderr.contains(" of 150 runs"), "\(stderr.suffix(300))")
        #expect(stdout.isEmpty, "nothing half-printed")
    }

    @Test func promptsOfDifferentLengthsNamePerHeadPatching() throws {
        let (process, out, errors) = try Self.start(["patch", "--clean", "The capital of France is", "--corrupt", "Rome"])
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(Self.text(errors).contains("same length") && Self.text(errors).contains("--heads"))
    }
}
