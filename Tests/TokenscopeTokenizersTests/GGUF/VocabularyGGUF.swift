import Foundation

// MARK: - Vocabulary-only GGUF files written by the tests

/// Writes GGUF v3 files with metadata only (no tensors): what a tokenizer test needs. Values are
/// typed as llama.cpp's converter writes them; `raw` lets a test write a wrongly typed value.
struct VocabularyGGUF {
    /// A metadata value.
    enum Value {
        case string(String)
        case u32(UInt32)
        case i32(Int32)
        case bool(Bool)
        case f32(Float)
        case strings([String])
        case int32s([Int32])
        case float32s([Float])
    }

    var entries: [(key: String, value: Value)] = []

    subscript(key: String) -> Value? {
        get { entries.first { $0.key == key }?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append((key, newValue)) }
        }
    }

    /// The file's bytes.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) {
            u64(UInt64(s.utf8.count))
            out.append(contentsOf: s.utf8)
        }
        u32(0x4655_4747)  // "GGUF"
        u32(3)
        u64(0)  // tensors
        u64(UInt64(entries.count))
        for (key, value) in entries {
            string(key)
            switch value {
            case .string(let s): u32(8); string(s)
            case .u32(let v): u32(4); u32(v)
            case .i32(let v): u32(5); u32(UInt32(bitPattern: v))
            case .bool(let b): u32(7); out.append(b ? 1 : 0)
            case .f32(let f): u32(6); u32(f.bitPattern)
            case .strings(let list): u32(9); u32(8); u64(UInt64(list.count)); list.forEach(string)
            case .int32s(let list): u32(9); u32(5); u64(UInt64(list.count)); list.forEach { u32(UInt32(bitPattern: $0)) }
            case .float32s(let list): u32(9); u32(6); u64(UInt64(list.count)); list.forEach { u32($0.bitPattern) }
            }
        }
        while out.count % 32 != 0 { out.append(0) }
        return out
    }

    /// Writes the file to a fresh temporary path and returns the path.
    func write(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-vocab-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_") + ".gguf").path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return path
    }
}
