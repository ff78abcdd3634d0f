import Foundation
import Testing
@testable import TokenscopeExplorer

/// A teacher's text files that cannot be used are refused with a reason to act on, never hang.
@Suite struct AssetTextTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-\(UUID().uuidString.prefix(8))-\(name)").path
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let path = Self.temporary("lesson.md")
        #expect(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try LessonParser.load(URL(fileURLWithPath: path))
            Issue.record("a FIFO was read as a lesson")
        } catch {
            #expect(error.reason.contains("FIFO"), "\(error.reason)")
        }
        do {
            _ = try DemoScript.load(path: path)
            Issue.record("a FIFO was read as a demo script")
        } catch {
            #expect(error.message.contains("FIFO"), "\(error.message)")
        }
    }

    @Test func textThatIsNotUTF8NamesTheByte() throws {
        let path = Self.temporary("notes.md")
        try Data([0x61, 0x62, 0xFF, 0x63]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .failure(let error) = AssetText.read(path) else {
            Issue.record("invalid UTF-8 was read")
            return
        }
        #expect(error.reason.contains("byte 2"), "\(error.reason)")
    }

    @Test func aFolderAndAMissingFileAreNamed() {
        guard case .failure(let folder) = AssetText.read(FileManager.default.temporaryDirectory.path),
            case .failure(let missing) = AssetText.read("/nonexistent/lesson.md")
        else {
            Issue.record("a folder or a missing file was read")
            return
        }
        #expect(folder.reason.contains("folder"))
        #expect(missing.reason.contains("No such file"), "\(missing.reason)")
    }
}
