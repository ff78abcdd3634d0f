import Foundation
import Testing

// MARK: - Every import is a declared dependency, and the layers point one way

/// Reads `Package.swift` and every source file: a module imported without being declared compiles
/// today only through SwiftPM's transitive visibility, and hides a dependency the map does not show.
@Suite("Module dependencies")
struct ModuleDependencyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Modules of the toolchain every target may import.
    static let toolchain: Set<String> = ["Foundation", "FoundationEssentials", "FoundationXML", "Dispatch", "Glibc", "Musl", "Darwin", "Synchronization", "Testing", "XCTest", "_Builtin_intrinsics"]

    struct Target {
        let name: String
        let path: String
        let dependencies: Set<String>
    }

    /// The targets declared in `Package.swift`: name, folder and dependency names (products by name).
    static func targets() throws -> [Target] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var out: [Target] = []
        let kinds = [".target(", ".executableTarget(", ".testTarget(", ".systemLibrary("]
        var rest = Substring(manifest)
        while let start = kinds.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            // The call runs to its matching parenthesis.
            var depth = 0
            var end = start.upperBound
            var index = rest.index(before: start.upperBound)
            while index < rest.endIndex {
                if rest[index] == "(" { depth += 1 }
                if rest[index] == ")" { depth -= 1; if depth == 0 { end = index; break } }
                index = rest.index(after: index)
            }
            let call = String(rest[start.lowerBound..<end])
            rest = rest[end...]
            guard let name = Self.firstMatch(#"name: "([A-Za-z0-9_]+)""#, in: call) else { continue }
            let isTest = call.hasPrefix(".testTarget(")
            let path = Self.firstMatch(#"path: "([^"]+)""#, in: call) ?? (isTest ? "Tests/\(name)" : "Sources/\(name)")
            var dependencies: Set<String> = []
            if let deps = call.range(of: "dependencies: [") {
                let list = call[deps.upperBound...].prefix { $0 != "]" }
                for match in list.matches(of: /(?:name: )?"([A-Za-z0-9_]+)"/) { dependencies.insert(String(match.1)) }
            }
            out.append(Target(name: name, path: path, dependencies: dependencies))
        }
        return out
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? Regex(pattern), let match = text.firstMatch(of: regex), match.count > 1,
              let range = match[1].range else { return nil }
        return String(text[range])
    }

    /// Modules imported by the Swift files under `path`, with the first file that imports each.
    static func imports(under path: String) -> [String: String] {
        var found: [String: String] = [:]
        let folder = root.appendingPathComponent(path)
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [:] }
        for case let url as URL in files where url.pathExtension == "swift" {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard let match = trimmed.firstMatch(of: /^(?:@testable |@_spi\([A-Za-z]+\) )?import (?:struct |class |enum |func )?([A-Za-z0-9_]+)/) else { continue }
                found[String(match.1), default: url.path.replacingOccurrences(of: root.path + "/", with: "")] = found[String(match.1)] ?? url.path.replacingOccurrences(of: root.path + "/", with: "")
            }
        }
        return found
    }

    @Test func everyImportedModuleIsDeclared() throws {
        let targets = try Self.targets()
        #expect(targets.count >= 10, "Package.swift was not read: \(targets.map(\.name))")
        for target in targets where !target.name.hasPrefix("C") {
            for (module, file) in Self.imports(under: target.path) where module != target.name && !Self.toolchain.contains(module) {
                #expect(target.dependencies.contains(module), "\(file) imports \(module), which target \(target.name) does not declare")
            }
        }
    }

    @Test func layersPointOneWay() throws {
        let targets = Dictionary(uniqueKeysWithValues: try Self.targets().map { ($0.name, $0) })
        let model = ["TokenscopeFormats", "TokenscopeKernels", "TokenscopeTokenizers", "TokenscopeTransformer"]
        for name in model + ["TokenscopeUI"] {
            let target = try #require(targets[name])
            #expect(!target.dependencies.contains("TokenscopeExplorer"), "\(name) must not depend on the explorer")
            #expect(!target.dependencies.contains("TokenscopeTerminal"), "\(name) must not depend on the terminal")
        }
        let ui = try #require(targets["TokenscopeUI"])
        #expect(ui.dependencies.isDisjoint(with: model), "the UI core knows nothing of models")
        let terminal = try #require(targets["TokenscopeTerminal"])
        #expect(!terminal.dependencies.contains("TokenscopeExplorer"))
        #expect(terminal.dependencies.isDisjoint(with: model), "the terminal backend draws canvases; it does not know models")
    }
}
