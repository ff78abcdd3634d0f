import Foundation

// MARK: - Documents and chunks

/// A text document to search: where it came from and its UTF-8 bytes.
public struct Document: Sendable {
    /// The file path (or a label for text given directly).
    public let source: String
    /// The document's text.
    public let text: String
    /// The text as UTF-8; chunk offsets count bytes of it.
    public let bytes: [UInt8]

    /// A document of `text` labelled `source`.
    public init(source: String, text: String) {
        self.source = source
        self.text = text
        self.bytes = Array(text.utf8)
    }
}

/// A piece of a document that is embedded and ranked on its own: a paragraph, or a window of a
/// long paragraph.
public struct DocumentChunk: Sendable, Equatable {
    /// Index of the document in its ``DocumentSet``.
    public let document: Int
    /// Byte offset of the chunk in the document's UTF-8 text.
    public let offset: Int
    /// Length of the chunk in bytes.
    public let length: Int
    /// Word pieces in the chunk (without `[CLS]`/`[SEP]`).
    public let tokenCount: Int

    /// Creates a chunk.
    public init(document: Int, offset: Int, length: Int, tokenCount: Int) {
        self.document = document
        self.offset = offset
        self.length = length
        self.tokenCount = tokenCount
    }

    /// The chunk's text in `documents`.
    public func text(in documents: [Document]) -> String {
        let bytes = documents[document].bytes
        guard offset >= 0, length >= 0, offset + length <= bytes.count else { return "" }
        return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
    }
}
