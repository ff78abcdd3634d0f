// MARK: - Errors

/// Why a model file could not be read: the file, where in it, and what was wrong.
public struct ModelFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Path of the file.
    public let file: String
    /// Byte offset of the problem, when known.
    public let offset: Int?
    /// Metadata key or tensor name, when known.
    public let key: String?
    /// What is wrong, one line.
    public let reason: String

    /// Creates an error.
    public init(file: String, offset: Int? = nil, key: String? = nil, reason: String) {
        self.file = file
        self.offset = offset
        self.key = key
        self.reason = reason
    }

    /// "FILE: offset N: key K: reason", one line.
    public var description: String {
        var parts = [file]
        if let offset { parts.append("offset \(offset)") }
        if let key { parts.append("'\(key)'") }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }
}
