import Foundation
import Testing
@testable import TokenscopeFormats

// MARK: - Replacing a cached model

/// `fetch --force` replaces what is in the cache only once the new copy is ready: a file by one
/// atomic rename, a folder by moving the old one aside and back if the new one cannot go in.
@Suite struct ModelInstallTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-install-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aFolderIsReplacedWholeAndKeptWhenTheNewOneIsMissing() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let destination = root + "/all-MiniLM-L6-v2"
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: destination + "/config.json"))
        // The staged copy is not there: the install fails and the old folder is untouched.
        #expect(throws: FetchError.self) { try ModelFetcher.install(root + "/staged", at: destination) }
        #expect(FileManager.default.contents(atPath: destination + "/config.json") == Data("old".utf8))
        // A staged copy replaces it, with nothing left aside.
        try FileManager.default.createDirectory(atPath: root + "/staged", withIntermediateDirectories: true)
        try Data("new".utf8).write(to: URL(fileURLWithPath: root + "/staged/config.json"))
        try ModelFetcher.install(root + "/staged", at: destination)
        #expect(FileManager.default.contents(atPath: destination + "/config.json") == Data("new".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["all-MiniLM-L6-v2"])
    }

    @Test func aFileIsReplacedByOneRename() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let destination = root + "/model.gguf"
        try Data("old".utf8).write(to: URL(fileURLWithPath: destination))
        #expect(throws: FetchError.self) { try ModelFetcher.install(root + "/staged", at: destination) }
        #expect(FileManager.default.contents(atPath: destination) == Data("old".utf8))
        try Data("new".utf8).write(to: URL(fileURLWithPath: root + "/staged"))
        try ModelFetcher.install(root + "/staged", at: destination)
        #expect(FileManager.default.contents(atPath: destination) == Data("new".utf8))
    }
}
