import Foundation

// MARK: - Finding the Assets folder at run time

/// Finds the `Assets` folder (lessons and glossary) that ships with the source tree.
///
/// The lessons and the glossary are plain text a teacher can edit, so they are read at run time
/// rather than compiled in. The folder is looked for, in order:
/// 1. `$TOKENSCOPE_ASSETS` (a folder holding `Lessons/` and `Glossary/`);
/// 2. `Assets/` in the executable's folder or any folder above it — a clone's
///    `.build/release/tokenscope` finds `<clone>/Assets`, and so does `swift run`;
/// 3. `share/tokenscope/` beside an installed `bin/tokenscope`;
/// 4. `Assets/` at the root of the package this file was compiled from (found by walking up from
///    the source file to `Package.swift`), for test runners whose executable lives elsewhere.
public enum AssetLocator {
    /// The environment variable that overrides the search.
    public static let environmentKey = "TOKENSCOPE_ASSETS"

    /// The Assets folder, or an error listing where it was looked for.
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AssetError) -> URL {
        let candidates = self.candidates(environment: environment)
        if let found = candidates.first(where: isAssetsFolder) { return found }
        throw AssetError(file: "Assets", line: nil, reason: "no Assets folder with Lessons/ and Glossary/ found; looked in "
            + candidates.map(\.path).joined(separator: ", ") + " (set \(environmentKey) to the folder)")
    }

    /// Every place looked at, in order.
    static func candidates(environment: [String: String]) -> [URL] {
        var out: [URL] = []
        if let explicit = environment[environmentKey], !explicit.isEmpty { out.append(URL(fileURLWithPath: explicit)) }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var folder = executable.deletingLastPathComponent()
            out.append(folder.deletingLastPathComponent().appendingPathComponent("share/tokenscope"))
            for _ in 0..<6 {
                out.append(folder.appendingPathComponent("Assets"))
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        if let package = packageRoot() { out.append(package.appendingPathComponent("Assets")) }
        return out
    }

    /// The folder holding `Package.swift` above this source file, if the source tree is still there.
    static func packageRoot(from file: String = #filePath) -> URL? {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
        return nil
    }

    static func isAssetsFolder(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        let lessons = url.appendingPathComponent("Lessons").path
        return FileManager.default.fileExists(atPath: lessons, isDirectory: &isFolder) && isFolder.boolValue
            && FileManager.default.fileExists(atPath: url.appendingPathComponent("Glossary").path)
    }
}

/// A problem with a lesson, the glossary or the Assets folder: the file, the line when known, and
/// what is wrong. Printed as `file:line: reason`.
public struct AssetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (as given, or a path).
    public let file: String
    /// The 1-based line, when the problem is on one line.
    public let line: Int?
    /// What is wrong, for a person.
    public let reason: String

    /// An error in `file` at `line`.
    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}
