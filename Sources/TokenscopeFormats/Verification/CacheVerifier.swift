import Foundation

// MARK: - Checking what is in the model cache

/// Checks the default models in the cache against their SHA-256, and remembers each file it found
/// good by a stamp (size and modification time, in `<cache>/.verified`), so a file is hashed once
/// per change rather than on every start, and a file changed on disk is hashed again before use.
public enum CacheVerifier {
    /// What was found for one cached file.
    public enum Status: Sendable, Equatable {
        /// Size and SHA-256 match.
        case good
        /// The file is not there.
        case missing
        /// The file is there but its size or SHA-256 is not the expected one.
        case corrupt(String)
    }

    /// Name of the stamp file inside the cache folder.
    public static let stampFileName = ".verified"

    /// Size and modification time (nanoseconds) of `path`, or nil when it cannot be looked at.
    static func stamp(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let nanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return "\(info.st_size) \(nanoseconds)"
    }

    /// The stamps recorded in the cache: relative path → "size mtime sha256".
    static func recorded(cache: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: cache + "/" + stampFileName) else { return [:] }
        var out: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            if fields.count == 2 { out[String(fields[0])] = String(fields[1]) }
        }
        return out
    }

    static func record(_ stamps: [String: String], cache: String) {
        let text = stamps.keys.sorted().map { "\($0)\t\(stamps[$0] ?? "")\n" }.joined()
        let path = cache + "/" + stampFileName
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// Hashes `artifact`'s checked file now (whatever its stamp says) and records the stamp when it is good.
    public static func verify(_ artifact: ModelFetcher.Artifact, environment: [String: String] = ProcessInfo.processInfo.environment) -> Status {
        verify(artifact, cache: ModelLocator.cacheDirectory(environment: environment))
    }

    static func verify(_ artifact: ModelFetcher.Artifact, cache: String) -> Status {
        let path = cache + "/" + artifact.check.path
        guard FileKind(path: path) != .missing else { return .missing }
        do {
            try ModelFetcher.verify(path, bytes: artifact.check.bytes, sha256: artifact.check.sha256)
        } catch {
            var stamps = recorded(cache: cache)
            if stamps.removeValue(forKey: artifact.check.path) != nil { record(stamps, cache: cache) }
            switch error {
            case .checksum(let reason), .io(let reason), .tool(let reason): return .corrupt(reason)
            }
        }
        if let stamp = stamp(path) {
            var stamps = recorded(cache: cache)
            stamps[artifact.check.path] = "\(stamp) \(artifact.check.sha256)"
            record(stamps, cache: cache)
        }
        return .good
    }

    /// Like ``verify(_:environment:)``, but trusts a file whose size and modification time are the
    /// ones recorded when it was last found good: hashing happens once per change of the file.
    public static func verifyIfChanged(_ artifact: ModelFetcher.Artifact, environment: [String: String] = ProcessInfo.processInfo.environment) -> Status {
        let cache = ModelLocator.cacheDirectory(environment: environment)
        let path = cache + "/" + artifact.check.path
        if let stamp = stamp(path), recorded(cache: cache)[artifact.check.path] == "\(stamp) \(artifact.check.sha256)" {
            return .good
        }
        return verify(artifact, environment: environment)
    }

    /// Checks the cached default model file (`SmolLM2…gguf`) before it is used, once per change of
    /// the file: throws an error naming the file and what to do when it is corrupt.
    public static func requireIntactDefaultModel(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ModelFileError) {
        guard let artifact = ModelFetcher.defaults.first(where: { $0.destination == ModelLocator.defaultModelFileName }) else { return }
        if case .corrupt(let reason) = verifyIfChanged(artifact, environment: environment) {
            throw ModelFileError(
                file: ModelLocator.cacheDirectory(environment: environment) + "/" + artifact.check.path,
                reason: "the cached model is corrupt (\(reason)); run 'tokenscope fetch' to download it again")
        }
    }
}
