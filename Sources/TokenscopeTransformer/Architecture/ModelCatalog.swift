import Foundation
import TokenscopeFormats

// MARK: - The models at hand

/// One model file or folder as `tokenscope models` and the explorer's model picker list it: what
/// it is, and whether Tokenscope can run it or only inspect it (and why not).
public struct CatalogEntry: Sendable, Equatable, Codable {
    /// What Tokenscope can do with the model.
    public enum Use: String, Sendable, Codable {
        /// A decoder of a supported architecture with a tokenizer it reads: the explorer runs it.
        case run
        /// A supported encoder: the explorer opens it on its similarity and search views (nothing
        /// is generated), and `embed`, `similarity` and `search` run it.
        case encode
        /// Readable, not runnable: `inspect` (and `tokenize` when its tokenizer kind is known).
        case inspect
    }

    /// The display name (`general.name`, else the file or folder name).
    public let name: String
    /// The file or folder.
    public let path: String
    /// `gguf` or `hf` (a folder with config.json and model.safetensors).
    public let format: String
    /// The GGUF `general.architecture` or HF `model_type` (`?` when the file does not say).
    public let architecture: String
    /// Bytes on disk (a folder: its files).
    public let bytes: Int
    /// What Tokenscope can do with it.
    public let use: Use
    /// Why it cannot be run, for `.encode` and `.inspect` (nil for `.run`).
    public let reason: String?

    /// Creates an entry.
    public init(name: String, path: String, format: String, architecture: String, bytes: Int, use: Use, reason: String?) {
        self.name = name
        self.path = path
        self.format = format
        self.architecture = architecture
        self.bytes = bytes
        self.use = use
        self.reason = reason
    }

    /// Whether the explorer can switch to it.
    public var isRunnable: Bool { use == .run }
}

/// Lists the models in the model cache (and any others named), reading only their metadata.
public enum ModelCatalog {
    /// Tokenizer kinds a decoder's tokenizer may have (`tokenizer.ggml.model`).
    static let generativeTokenizerKinds: Set<String> = ["gpt2", "llama"]

    /// Every `.gguf` file and HF model folder directly in `folder`, then each of `extra` not
    /// already listed, by name. A file that cannot be read is listed as inspect-only with the reason.
    public static func entries(in folder: String, extra: [String] = []) -> [CatalogEntry] {
        let fm = FileManager.default
        var paths: [String] = []
        if let names = try? fm.contentsOfDirectory(atPath: folder) {
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = (folder as NSString).appendingPathComponent(name)
                if name.lowercased().hasSuffix(".gguf") || HFModelFolder.isModelFolder(path) { paths.append(path) }
            }
        }
        let listed = Set(paths.map(canonical))
        for path in extra where !listed.contains(canonical(path)) && fm.fileExists(atPath: path) { paths.append(path) }
        return paths.map(entry)
    }

    /// The entry for one file or folder.
    public static func entry(_ path: String) -> CatalogEntry {
        HFModelFolder.isModelFolder(path) ? folderEntry(path) : ggufEntry(path)
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    // MARK: GGUF files

    static func ggufEntry(_ path: String) -> CatalogEntry {
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch {
            return CatalogEntry(name: fileName, path: path, format: "gguf", architecture: "?", bytes: bytes, use: .inspect,
                                reason: "unreadable: \(error.description)")
        }
        let m = file.metadata
        let architecture = (try? m.string("general.architecture")) ?? "?"
        let name = ((try? m.stringIfPresent("general.name")) ?? nil) ?? fileName
        let tokenizerKind = (try? m.stringIfPresent("tokenizer.ggml.model")) ?? nil
        let (use, reason) = ggufUse(architecture: architecture, tokenizerKind: tokenizerKind)
        return CatalogEntry(name: name, path: path, format: "gguf", architecture: architecture, bytes: bytes, use: use, reason: reason)
    }

    /// What a GGUF of `architecture` with a `tokenizerKind` tokenizer can be used for.
    static func ggufUse(architecture: String, tokenizerKind: String?) -> (CatalogEntry.Use, String?) {
        if ArchitectureRegistry.architecture(gguf: architecture) != nil {
            guard let kind = tokenizerKind else { return (.inspect, "no tokenizer in the file") }
            guard generativeTokenizerKinds.contains(kind) else { return (.inspect, "tokenizer kind '\(kind)' is not supported for generation") }
            return (.run, nil)
        }
        if architecture == "bert" { return (.inspect, "an encoder: `embed` runs its HF folder, not a GGUF") }
        return (.inspect, "architecture '\(architecture)' is not supported (supported: \(ArchitectureRegistry.supportedNames))")
    }

    // MARK: HF folders

    static func folderEntry(_ path: String) -> CatalogEntry {
        let fm = FileManager.default
        let folderName = URL(fileURLWithPath: path).lastPathComponent
        var bytes = 0
        for name in (try? fm.contentsOfDirectory(atPath: path)) ?? [] {
            bytes += ((try? fm.attributesOfItem(atPath: (path as NSString).appendingPathComponent(name))[.size]) as? Int) ?? 0
        }
        let configPath = (path as NSString).appendingPathComponent(HFModelFolder.configName)
        guard let data = fm.contents(atPath: configPath), data.count <= 1 << 20,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let modelType = object["model_type"] as? String
        else {
            return CatalogEntry(name: folderName, path: path, format: "hf", architecture: "?", bytes: bytes, use: .inspect,
                                reason: "config.json has no model_type")
        }
        if ArchitectureRegistry.architecture(modelType: modelType) != nil {
            return CatalogEntry(name: folderName, path: path, format: "hf", architecture: modelType, bytes: bytes, use: .run, reason: nil)
        }
        if ArchitectureRegistry.encoder(modelType: modelType) != nil {
            return CatalogEntry(name: folderName, path: path, format: "hf", architecture: modelType, bytes: bytes, use: .encode,
                                reason: "an encoder: similarity and search, nothing generated")
        }
        return CatalogEntry(name: folderName, path: path, format: "hf", architecture: modelType, bytes: bytes, use: .inspect,
                            reason: "model type '\(modelType)' is not supported (supported: \(ArchitectureRegistry.supportedNames))")
    }
}
