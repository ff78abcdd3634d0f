import TokenscopeFormats

// MARK: - Errors

/// Why a model could not be loaded or run; every case names the file or what the caller asked.
public enum ModelError: Error, CustomStringConvertible, Sendable {
    /// The model file is malformed or unreadable.
    case file(ModelFileError)
    /// The file is well formed but describes something the forward pass cannot run.
    case unsupported(file: String, reason: String)
    /// The request does not fit the model or session (position past the context, layer out of range).
    case invalidRequest(String)
    /// An activation became NaN or infinite.
    case nonFinite(layer: Int, position: Int, stage: String)
    /// The caller cancelled the work; the session is as it was before.
    case cancelled

    /// One line for the user.
    public var description: String {
        switch self {
        case .file(let error): error.description
        case .unsupported(let file, let reason): "\(file): \(reason)"
        case .invalidRequest(let reason): reason
        case .nonFinite(let layer, let position, let stage):
            "the forward pass produced NaN or infinity in layer \(layer) (\(stage)) at position \(position)"
        case .cancelled: "cancelled"
        }
    }
}
