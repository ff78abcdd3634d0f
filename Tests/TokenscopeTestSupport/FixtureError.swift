// MARK: - Why a fixture is not there

/// Why a test could not get what it needs: a thrown error, so the test fails and says what to do
/// (tests that may be skipped are gated with `.enabled(if: ModelFixture.shouldRun)` first).
public enum FixtureError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A downloaded model is not at `path`; `name` says which.
    case modelMissing(name: String, path: String)
    /// The built `tokenscope` binary is not at `path`.
    case binaryMissing(path: String)

    /// What is missing, where, and the command that provides it.
    public var description: String {
        switch self {
        case .modelMissing(let name, let path):
            "\(name) is missing at \(path): run `tokenscope fetch` (or `.build/release/tokenscope fetch`)"
        case .binaryMissing(let path):
            "the tokenscope binary is missing at \(path): run `swift build -c release` first (or set TOKENSCOPE_BINARY)"
        }
    }
}
