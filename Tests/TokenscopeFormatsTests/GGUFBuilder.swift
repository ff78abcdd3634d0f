import Foundation

/// Writes GGUF files byte by byte for tests, including deliberately malformed ones.
struct GGUFBuilder {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
        u32(0x4655_4747)
        u32(version)
        u64(tensors)
        u64(keys)
    }
    mutating func keyU32(_ key: String, _ v: UInt32) { string(key); u32(4); u32(v) }
    mutating func keyString(_ key: String, _ v: String) { string(key); u32(8); string(v) }
    mutating func tensorInfo(_ name: String, shape: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(shape.count))
        for d in shape { u64(d) }
        u32(type)
        u64(offset)
    }
    mutating func align(_ alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// A small valid file: two keys and one F32 tensor of 8 values.
    static func valid(version: UInt32 = 3) -> GGUFBuilder {
        var b = GGUFBuilder()
        b.header(version: version, tensors: 1, keys: 2)
        b.keyString("general.architecture", "llama")
        b.keyU32("llama.block_count", 2)
        b.tensorInfo("t", shape: [8], type: 0, offset: 0)
        b.align()
        for i in 0..<8 { b.f32(Float(i)) }
        return b
    }

    /// Writes the bytes to a fresh temporary file and returns its path.
    func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-\(UUID().uuidString).gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
