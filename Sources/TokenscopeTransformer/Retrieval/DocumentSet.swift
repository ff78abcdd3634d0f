import Foundation

// MARK: - Loading documents

/// The documents under a path: one text or Markdown file, or every file in a folder (recursively,
/// in path order). Files that cannot be read are named and skipped, binary files are skipped with
/// a note; a path with no readable text document is an error.
public struct DocumentSet: Sendable {
    /// The documents, in path order.
    public let documents: [Document]
    /// One line per skipped file: which and why.
    public let notes: [String]

    /// Files larger than this are skipped (a document set is text someone wrote).
    public static let maximumFileBytes = 64 << 20

    /// Creates a set from documents already in memory.
    public init(documents: [Document], notes: [String] = []) {
        self.documents = documents
        self.notes = notes
    }

    /// Loads the documents under `path`.
    public init(path: String) throws(RetrievalError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, reason: "no such file or folder")
        }
        var files: [String] = []
        var notes: [String] = []
        if isDirectory.boolValue {
            guard let walker = FileManager.default.enumerator(atPath: path) else {
                throw .unreadable(path: path, reason: "the folder cannot be listed")
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            while let relative = walker.nextObject() as? String {
                let full = base + "/" + relative
                var folder: ObjCBool = false
                if URL(fileURLWithPath: relative).lastPathComponent.hasPrefix(".") { continue }
                if !FileManager.default.fileExists(atPath: full, isDirectory: &folder) {
                    notes.append("skipped \(full): cannot be read (a broken link)")
                } else if !folder.boolValue {
                    files.append(full)
                }
            }
            files.sort()
        } else {
            files = [path]
        }
        var documents: [Document] = []
        for file in files {
            switch Self.read(file) {
            case .success(let text): documents.append(Document(source: file, text: text))
            case .failure(let note): notes.append(note.reason)
            }
        }
        guard !documents.isEmpty else {
            let reason = files.isEmpty ? "the folder holds no files" : "no readable text document (\(notes.count) skipped)"
            throw .noDocuments(path: path, reason: reason)
        }
        self.documents = documents
        self.notes = notes
    }

    /// A file skipped, with the reason.
    struct Skipped: Error { let reason: String }

    /// The text of `file`, or why it is skipped (unreadable, too large, binary).
    static func read(_ file: String) -> Result<String, Skipped> {
        // Opening a FIFO or a device could block or never end: only regular files are read.
        let type = (try? FileManager.default.attributesOfItem(atPath: file))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            return .failure(Skipped(reason: "skipped \(file): cannot be read (not a regular file)"))
        }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            return .failure(Skipped(reason: "skipped \(file): cannot be read (permission denied or not a regular file)"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            guard let read = try handle.read(upToCount: maximumFileBytes + 1) else { return .success("") }
            data = read
        } catch {
            return .failure(Skipped(reason: "skipped \(file): cannot be read (\(error.localizedDescription))"))
        }
        if data.count > maximumFileBytes {
            return .failure(Skipped(reason: "skipped \(file): larger than \(maximumFileBytes >> 20) MB"))
        }
        if data.contains(0) {
            return .failure(Skipped(reason: "skipped \(file): binary (it contains NUL bytes)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(Skipped(reason: "skipped \(file): binary (not UTF-8 text)"))
        }
        return .success(text)
    }
}
