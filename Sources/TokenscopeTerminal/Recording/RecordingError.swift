// MARK: - Recording errors

/// Why a recording could not be written; names the file.
public struct RecordingError: Error, CustomStringConvertible, Equatable {
    /// The file.
    public let path: String
    /// What went wrong.
    public let reason: String

    public var description: String { "cannot record to \(path): \(reason)" }
}
