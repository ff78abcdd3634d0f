import Foundation

// MARK: - The built binary

/// Where tests find the package and the built `tokenscope` binary they run as a process.
public enum TokenscopeBinary {
    /// The package root: three folders above this file (`Tests/TokenscopeTestSupport/<file>`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `TOKENSCOPE_BINARY` when set (for builds with another scratch path), else
    /// `<package root>/.build/release/tokenscope`.
    public static var path: String {
        if let override = ProcessInfo.processInfo.environment["TOKENSCOPE_BINARY"], !override.isEmpty { return override }
        return packageRoot.appendingPathComponent(".build/release/tokenscope").path
    }

    /// Whether the binary is built.
    public static var isPresent: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// The binary's path, or an error that says how to build it.
    public static func require() throws(FixtureError) -> String {
        let path = Self.path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw .binaryMissing(path: path) }
        return path
    }
}
