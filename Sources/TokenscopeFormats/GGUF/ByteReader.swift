// MARK: - Bounds-checked reading

/// A cursor over a file's bytes whose every read is checked against the end of the file.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// Bytes left after the cursor.
    var remaining: Int { bytes.count - offset }

    func error(_ reason: String, at position: Int? = nil, key: String? = nil) -> ModelFileError {
        ModelFileError(file: file, offset: position ?? offset, key: key, reason: reason)
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, key: String? = nil) throws(ModelFileError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw error("file ends in the middle of a \(size)-byte value (truncated)", key: key)
        }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    mutating func readFloat(key: String? = nil) throws(ModelFileError) -> Float {
        Float(bitPattern: try read(UInt32.self, key: key))
    }

    mutating func readDouble(key: String? = nil) throws(ModelFileError) -> Double {
        Double(bitPattern: try read(UInt64.self, key: key))
    }

    /// A u64 length followed by that many bytes of UTF-8.
    mutating func readString(key: String? = nil) throws(ModelFileError) -> String {
        let start = offset
        let length = try read(UInt64.self, key: key)
        guard length <= UInt64(remaining) else {
            throw error("string length \(length) runs past the end of the file", at: start, key: key)
        }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        guard let string = String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: start, key: key)
        }
        offset += count
        return string
    }

    /// Moves past `count` bytes the caller has checked are there.
    mutating func skip(_ count: Int) {
        offset += count
    }

    mutating func align(to alignment: Int) {
        let rounded = (offset + alignment - 1) / alignment * alignment
        offset = rounded
    }
}
