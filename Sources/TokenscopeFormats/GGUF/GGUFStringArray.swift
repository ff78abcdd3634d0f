// MARK: - String arrays left in the file

/// A GGUF array of strings read in place: each element's bytes are checked as UTF-8 when the file
/// is opened, and a `String` is made only when one is asked for.
///
/// A vocabulary and its merges are ~100 000 strings. Making each a `String` inside a boxed
/// `GGUFValue` took most of the metadata's parse time; the tokenizers read the bytes instead.
public struct GGUFStringArray: Sendable, Equatable, RandomAccessCollection {
    /// The mapped file the elements live in.
    @usableFromInline let owner: MappedFile
    /// (count + 1): where element i's bytes begin; element i ends 8 bytes (the next element's
    /// length) before element i + 1 begins, and the last one 8 bytes before `starts[count]`.
    @usableFromInline let starts: [Int]

    /// Records the elements after the array's count at the reader's position, moving past them;
    /// a length that runs past the file or bytes that are not UTF-8 are errors naming the offset.
    init(count: Int, reader: inout ByteReader, owner: MappedFile, key: String) throws(ModelFileError) {
        var starts: [Int] = []
        starts.reserveCapacity(count + 1)
        for _ in 0..<count {
            let at = reader.offset
            let length = try reader.read(UInt64.self, key: key)
            guard length <= UInt64(reader.remaining) else {
                throw reader.error("string length \(length) runs past the end of the file", at: at, key: key)
            }
            let start = reader.offset
            let element = UnsafeRawBufferPointer(rebasing: reader.bytes[start..<(start + Int(length))]).bindMemory(to: UInt8.self)
            guard UTF8Check.isValid(element) else {
                throw reader.error("string is not valid UTF-8", at: at, key: key)
            }
            starts.append(start)
            reader.skip(Int(length))
        }
        starts.append(reader.offset + 8)
        self.owner = owner
        self.starts = starts
    }

    // MARK: Elements

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { starts.count - 1 }

    /// Element `i` as a `String`.
    public subscript(i: Int) -> String {
        withUTF8(at: i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with element `i`'s UTF-8 bytes (valid only inside `body`). Inlinable: a
    /// tokenizer calls it once per token and merge, ~100 000 times while loading.
    @inlinable
    public func withUTF8<Result>(at i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = starts[i], end = starts[i + 1] - 8
        return try withExtendedLifetime(owner) {
            try body(UnsafeRawBufferPointer(rebasing: owner.bytes[start..<end]).bindMemory(to: UInt8.self))
        }
    }

    /// The UTF-8 byte count of element `i`.
    @inlinable
    public func utf8Count(at i: Int) -> Int { starts[i + 1] - 8 - starts[i] }

    /// Element-wise equality of the spellings (where they live does not matter).
    public static func == (a: GGUFStringArray, b: GGUFStringArray) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count {
            let same = a.withUTF8(at: i) { x in b.withUTF8(at: i) { y in x.elementsEqual(y) } }
            if !same { return false }
        }
        return true
    }
}
