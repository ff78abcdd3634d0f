import Foundation

// MARK: - Writing GGUF files for tests

/// Writes GGUF bytes (little-endian) value by value: small real model files (see ``TinyModel``)
/// and deliberately malformed ones, so the reader and the loader are tested on files whose every
/// byte the test chose.
///
/// The raw writers (`u8`, `u32`, `u64`, `f32`, `string`) put down exactly what they are given, so a
/// test can write a wrong type code, a huge count or a truncated value; the `key` and `tensorInfo`
/// writers produce well-formed entries.
public struct GGUFWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty file.
    public init() {}

    // MARK: - Raw values

    /// One byte.
    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    /// A little-endian `UInt32`.
    public mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    /// A little-endian `UInt64`.
    public mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    /// A little-endian `Float` (IEEE 754 binary32).
    public mutating func f32(_ value: Float) { u32(value.bitPattern) }
    /// A GGUF string: its UTF-8 length as a `UInt64`, then the bytes (no terminator).
    public mutating func string(_ value: String) {
        u64(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    // MARK: - Header

    /// The header: magic `GGUF`, `version`, the tensor count and the metadata key count.
    public mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
        u32(0x4655_4747)
        u32(version)
        u64(tensors)
        u64(keys)
    }

    // MARK: - Metadata (GGUF value type codes in comments)

    /// A string value (type 8).
    public mutating func key(_ key: String, string value: String) { string(key); u32(8); string(value) }
    /// A `UInt32` value (type 4).
    public mutating func key(_ key: String, u32 value: UInt32) { string(key); u32(4); u32(value) }
    /// A `Float` value (type 6).
    public mutating func key(_ key: String, f32 value: Float) { string(key); u32(6); f32(value) }
    /// A bool value (type 7), one byte 0 or 1.
    public mutating func key(_ key: String, bool value: Bool) { string(key); u32(7); u8(value ? 1 : 0) }
    /// An array (type 9) of strings (element type 8).
    public mutating func key(_ key: String, strings values: [String]) {
        string(key); u32(9); u32(8); u64(UInt64(values.count))
        for value in values { string(value) }
    }
    /// An array (type 9) of `Int32` (element type 5).
    public mutating func key(_ key: String, int32s values: [Int32]) {
        string(key); u32(9); u32(5); u64(UInt64(values.count))
        for value in values { u32(UInt32(bitPattern: value)) }
    }

    // MARK: - Tensors

    /// A tensor's description: name, dimension count, dimensions (GGUF order, innermost first),
    /// ggml type (0 is F32) and the offset of its data from the start of the data section.
    public mutating func tensorInfo(_ name: String, shape: [UInt64], type: UInt32 = 0, offset: UInt64) {
        string(name)
        u32(UInt32(shape.count))
        for dimension in shape { u64(dimension) }
        u32(type)
        u64(offset)
    }

    /// Pads with zeros to a multiple of `alignment` (GGUF's default is 32).
    public mutating func align(_ alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    // MARK: - Files

    /// A small valid file: two keys (`general.architecture`, `llama.block_count` = 2) and one F32
    /// tensor `t` of the 8 values 0…7.
    public static func valid(version: UInt32 = 3) -> GGUFWriter {
        var writer = GGUFWriter()
        writer.header(version: version, tensors: 1, keys: 2)
        writer.key("general.architecture", string: "llama")
        writer.key("llama.block_count", u32: 2)
        writer.tensorInfo("t", shape: [8], offset: 0)
        writer.align()
        for value in 0..<8 { writer.f32(Float(value)) }
        return writer
    }

    /// Writes the bytes to a fresh temporary file and returns its path (the caller removes it).
    public func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-\(UUID().uuidString).gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
