import Foundation

/// Writes safetensors files for tests: a header (any text, so malformed ones too) and data bytes.
struct SafetensorsBuilder {
    var bytes: [UInt8] = []

    /// A file whose header length field is `declaredLength` (default: the header's real length).
    init(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) {
        let json = Array(header.utf8)
        withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: data)
    }

    /// Raw bytes, for files too broken to have a header.
    init(raw: [UInt8]) { bytes = raw }

    /// A header with one tensor entry per element, each `(name, dtype, shape, begin, end)`.
    static func header(_ tensors: [(String, String, [Int], Int, Int)], metadata: String? = nil) -> String {
        var members = tensors.map { name, dtype, shape, begin, end in
            "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(end)]}"
        }
        if let metadata { members.insert("\"__metadata__\":\(metadata)", at: 0) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Writes the bytes to a fresh temporary file and returns its path.
    func write(suffix: String = ".safetensors") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-\(UUID().uuidString)\(suffix)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
