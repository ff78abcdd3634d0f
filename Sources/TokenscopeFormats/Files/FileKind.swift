import Foundation

// MARK: - What kind of file a path names

/// What a path names, found with `stat` — never by opening it, since opening a FIFO for reading
/// blocks until some other process writes to it.
public enum FileKind: Sendable, Equatable {
    /// A regular file (or a symbolic link to one).
    case regular
    /// A folder.
    case folder
    /// Anything else: a FIFO, a socket, a device.
    case special
    /// Nothing is there (or it cannot be looked at).
    case missing

    /// The kind of `path`, following symbolic links.
    public init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            self = .missing
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .folder
        default: self = .special
        }
    }

    /// Throws "not a regular file" unless `path` is a regular file or a folder; model and tokenizer
    /// files are checked with it before anything opens them.
    public static func requireFileOrFolder(_ path: String) throws(ModelFileError) {
        if FileKind(path: path) == .special {
            throw ModelFileError(file: path, reason: "not a regular file (a FIFO, socket or device cannot hold a model)")
        }
    }

    /// Checks `path` and, when it is a folder, the model and tokenizer files Tokenscope reads from
    /// folders (`config.json`, `tokenizer.json`, `vocab.txt`, …) that are in it.
    public static func requireModelFiles(_ path: String) throws(ModelFileError) {
        try requireFileOrFolder(path)
        guard FileKind(path: path) == .folder else { return }
        for name in ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "vocab.json", "merges.txt",
                     "1_Pooling/config.json"] {
            try requireFileOrFolder(path + "/" + name)
        }
        let ggufs = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".gguf") }
        for name in ggufs { try requireFileOrFolder(path + "/" + name) }
    }
}
