// MARK: - Retrieval errors

/// Why documents could not be indexed or searched; every case names the path or the setting.
public enum RetrievalError: Error, CustomStringConvertible, Sendable {
    /// The path does not exist or cannot be read at all.
    case unreadable(path: String, reason: String)
    /// The path holds no readable text document.
    case noDocuments(path: String, reason: String)
    /// A chunking or search setting is out of range.
    case invalidSetting(String)
    /// The encoder failed.
    case model(ModelError)

    /// One line for the user.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .noDocuments(let path, let reason): "\(path): \(reason)"
        case .invalidSetting(let reason): reason
        case .model(let error): error.description
        }
    }
}
