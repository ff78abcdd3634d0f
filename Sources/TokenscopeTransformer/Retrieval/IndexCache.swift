import Foundation
import TokenscopeFormats

// MARK: - The index cache

/// Embedded chunks kept in the model cache, so a document set is embedded once.
///
/// The key is a SHA-256 over the encoder, the chunk settings and every document's path and bytes:
/// a changed file gives a new key. The file is safetensors (the format the model already comes in):
/// one F32 tensor `embeddings` of shape [chunks, dimension], and metadata holding the key, the chunk
/// offsets (`[[document, offset, length, tokens], …]`) and a SHA-256 of the embedding bytes. A file
/// whose key, shapes, offsets or hash do not check out is reported as corrupt and rebuilt, never used.
public struct IndexCache: Sendable {
    /// The folder of cached indexes (`<model cache>/index`).
    public let folder: String

    /// The cache under the model cache directory.
    public init(folder: String = ModelLocator.cacheDirectory() + "/index") {
        self.folder = folder
    }

    /// The key of `documents` chunked by `chunker` and embedded by `encoder`.
    public static func key(documents: [Document], chunker: Chunker, encoder: SentenceEncoder) -> String {
        var hash = SHA256()
        hash.update(Array("tokenscope-index-v1\n\(encoder.name)\n\(encoder.maxTokens)\n\(chunker.size)\n\(chunker.overlap)\n".utf8))
        for document in documents {
            hash.update(Array("\(document.source)\n\(document.bytes.count)\n".utf8))
            hash.update(document.bytes)
        }
        return hash.finalizeHex()
    }

    /// The file of `key`.
    public func path(for key: String) -> String { folder + "/\(key).safetensors" }

    /// What loading found.
    public enum Lookup: Sendable {
        /// A valid index.
        case hit(EmbeddingIndex)
        /// No file for the key.
        case miss
        /// A file that failed a check, with the reason (it must be rebuilt).
        case corrupt(String)
    }

    /// The cached index of `key` for `documents`, checked against them.
    public func load(key: String, documents: [Document], dimension: Int) -> Lookup {
        let file = path(for: key)
        guard FileManager.default.fileExists(atPath: file) else { return .miss }
        let tensors: SafetensorsFile
        do { tensors = try SafetensorsFile(path: file) } catch { return .corrupt("\(error)") }
        guard tensors.metadata["key"] == key else { return .corrupt("the key in the file does not match its name") }
        guard let chunkText = tensors.metadata["chunks"],
            let rows = try? JSONSerialization.jsonObject(with: Data(chunkText.utf8)) as? [[Int]]
        else { return .corrupt("the chunk offsets are missing or not a list of integer lists") }
        var chunks: [DocumentChunk] = []
        chunks.reserveCapacity(rows.count)
        for row in rows {
            guard row.count == 4, row[0] >= 0, row[0] < documents.count, row[1] >= 0, row[2] >= 0,
                row[1] + row[2] <= documents[row[0]].bytes.count, row[3] >= 0
            else { return .corrupt("a chunk offset \(row) lies outside the documents") }
            chunks.append(DocumentChunk(document: row[0], offset: row[1], length: row[2], tokenCount: row[3]))
        }
        let view: TensorView
        do { view = try tensors.tensor(named: "embeddings") } catch { return .corrupt("\(error)") }
        guard view.type == .f32, view.shape == [dimension, chunks.count] else {
            return .corrupt("embeddings have shape \(view.shape.reversed()) of \(view.type), expected [\(chunks.count), \(dimension)] F32")
        }
        guard SHA256.hex(view.bytes) == tensors.metadata["embeddings_sha256"] else {
            return .corrupt("the embeddings do not match their SHA-256")
        }
        let vectors = Array(view.bytes.bindMemory(to: Float.self))
        guard vectors.allSatisfy(\.isFinite) else { return .corrupt("the embeddings hold NaN or infinity") }
        return .hit(EmbeddingIndex(chunks: chunks, dimension: dimension, vectors: vectors))
    }

    /// Writes `index` under `key` (to a temporary file, then renamed, so a crash leaves no half file).
    public func store(_ index: EmbeddingIndex, key: String) throws(RetrievalError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let body = index.vectors.withUnsafeBytes { Data($0) }
            let hash = index.vectors.withUnsafeBytes { SHA256.hex($0) }
            let offsets = "[" + index.chunks.map { "[\($0.document),\($0.offset),\($0.length),\($0.tokenCount)]" }.joined(separator: ",") + "]"
            let header: [String: Any] = [
                "__metadata__": ["key": key, "chunks": offsets, "embeddings_sha256": hash, "format": "tokenscope chunk index v1"],
                "embeddings": ["dtype": "F32", "shape": [index.chunks.count, index.dimension], "data_offsets": [0, body.count]],
            ]
            var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
            while json.count % 8 != 0 { json.append(0x20) }
            var data = Data()
            var length = UInt64(json.count).littleEndian
            withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
            data.append(json)
            data.append(body)
            let file = path(for: key)
            let temporary = file + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
            try data.write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
            try FileManager.default.moveItem(atPath: temporary, toPath: file)
        } catch {
            throw .unreadable(path: path(for: key), reason: "cannot write the index cache: \(error.localizedDescription)")
        }
    }
}
