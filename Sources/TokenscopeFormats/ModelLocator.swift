import Foundation

// MARK: - Where models live

/// Finds the model to use: `--model PATH` (a .gguf file or an HF folder) > `TOKENSCOPE_MODEL` >
/// the cache (`${XDG_CACHE_HOME:-~/.cache}/tokenscope/models/`).
public enum ModelLocator {
    /// File name of the default model in the cache.
    public static let defaultModelFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
    /// Folder name of the default comparison model (all-MiniLM-L6-v2, WordPiece) in the cache.
    public static let miniLMFolderName = "all-MiniLM-L6-v2"

    /// A resolved model location.
    public struct Location: Sendable, Equatable {
        /// A .gguf file or an HF folder.
        public let path: String
        /// Whether `path` is an HF folder (config.json, model.safetensors, tokenizer.json).
        public let isFolder: Bool
        /// How it was chosen: "--model", "TOKENSCOPE_MODEL" or "cache".
        public let source: String
    }

    /// The cache folder for models.
    public static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        }
        return base + "/tokenscope/models"
    }

    /// Path of the default model in the cache.
    public static func defaultModelPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        cacheDirectory(environment: environment) + "/" + defaultModelFileName
    }

    /// Path of the MiniLM folder in the cache.
    public static func miniLMFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        cacheDirectory(environment: environment) + "/" + miniLMFolderName
    }

    /// Resolves the model to use, or explains what to do when it is missing.
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ModelLocatorError) -> Location {
        if let explicit, !explicit.isEmpty { return try check(explicit, source: "--model") }
        if let fromEnvironment = environment["TOKENSCOPE_MODEL"], !fromEnvironment.isEmpty {
            return try check(fromEnvironment, source: "TOKENSCOPE_MODEL")
        }
        let path = defaultModelPath(environment: environment)
        switch FileKind(path: path) {
        case .missing, .folder: throw .missingDefault(path)
        case .special: throw .notRegular(path, source: "cache")
        case .regular: break
        }
        return Location(path: path, isFolder: false, source: "cache")
    }

    static func check(_ path: String, source: String) throws(ModelLocatorError) -> Location {
        switch FileKind(path: path) {
        case .missing: throw .notFound(path, source: source)
        case .special: throw .notRegular(path, source: source)
        case .regular: return Location(path: path, isFolder: false, source: source)
        case .folder:
            do { try FileKind.requireModelFiles(path) } catch { throw .notRegular(error.file, source: source) }
            return Location(path: path, isFolder: true, source: source)
        }
    }
}

/// Why no model could be found.
public enum ModelLocatorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path given by `source` does not exist.
    case notFound(String, source: String)
    /// The default model is not in the cache.
    case missingDefault(String)
    /// The path (or a file in the folder it names) is a FIFO, socket or device, not a file.
    case notRegular(String, source: String)

    public var description: String {
        switch self {
        case .notFound(let path, let source): "\(path): no such file or folder (from \(source))"
        case .notRegular(let path, let source): "\(path): not a regular file (from \(source)); a model must be a file or a folder of files"
        case .missingDefault(let path):
            "the default model is not downloaded yet (\(path)); run 'tokenscope fetch', or pass --model PATH"
        }
    }
}
