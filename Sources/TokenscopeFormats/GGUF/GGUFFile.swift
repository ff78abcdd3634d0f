// MARK: - GGUF files

/// Where one tensor lives in a GGUF file.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name (`blk.0.attn_q.weight`).
    public let name: String
    /// Element encoding.
    public let type: TensorType
    /// Dimensions, fastest-varying first (GGML `ne`).
    public let shape: [Int]
    /// Absolute byte offset of the data in the file.
    public let offset: Int
    /// Bytes of data.
    public let byteCount: Int
}

/// A GGUF model file (versions 2 and 3), memory-mapped: metadata parsed up front, tensors as
/// zero-copy views.
///
/// The file is untrusted input: every count, length, type, offset and dimension is checked, and a
/// malformed file ends in a `ModelFileError` naming the offset or key — never a trap or a huge
/// allocation.
public final class GGUFFile: @unchecked Sendable {
    /// Path of the file.
    public let path: String
    /// Format version (2 or 3).
    public let version: UInt32
    /// Key–value metadata.
    public let metadata: GGUFMetadata
    /// Tensors in file order.
    public let tensorInfos: [GGUFTensorInfo]
    /// Data alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// Absolute offset of the tensor data section.
    public let dataOffset: Int
    /// The mapping every tensor view points into.
    public let mapping: MappedFile
    private let tensorIndex: [String: Int]

    static let magic: UInt32 = 0x4655_4747  // "GGUF" little-endian
    static let maximumNesting = 8
    static let maximumDimensions = 4

    /// Maps and parses the file at `path`.
    public convenience init(path: String) throws(ModelFileError) {
        try self.init(mapping: MappedFile(path: path))
    }

    /// Parses an already-mapped file.
    public init(mapping: MappedFile) throws(ModelFileError) {
        let path = mapping.path
        var reader = ByteReader(bytes: mapping.bytes, file: path)
        let magic = try reader.read(UInt32.self)
        guard magic == Self.magic else {
            throw ModelFileError(file: path, offset: 0, reason: "not a GGUF file (bad magic)")
        }
        let version = try reader.read(UInt32.self)
        guard version == 2 || version == 3 else {
            throw ModelFileError(file: path, offset: 4, reason: "unsupported GGUF version \(version) (2 and 3 are supported)")
        }
        let tensorCountOffset = reader.offset
        let tensorCount = try reader.read(UInt64.self)
        let keyCount = try reader.read(UInt64.self)
        // Each key takes at least 12 bytes (length + type), each tensor info at least 28.
        guard keyCount <= UInt64(reader.remaining / 12) else {
            throw ModelFileError(file: path, offset: tensorCountOffset + 8, reason: "metadata key count \(keyCount) is larger than the file could hold")
        }
        guard tensorCount <= UInt64(reader.remaining / 28) else {
            throw ModelFileError(file: path, offset: tensorCountOffset, reason: "tensor count \(tensorCount) is larger than the file could hold")
        }

        // MARK: Metadata
        var entries: [(String, GGUFValue)] = []
        entries.reserveCapacity(Int(keyCount))
        var seenKeys = Set<String>()
        for _ in 0..<Int(keyCount) {
            let keyOffset = reader.offset
            let key = try reader.readString()
            guard seenKeys.insert(key).inserted else {
                throw ModelFileError(file: path, offset: keyOffset, key: key, reason: "duplicate metadata key")
            }
            let value = try Self.readValue(&reader, key: key, depth: 0, owner: mapping)
            entries.append((key, value))
        }
        let metadata = GGUFMetadata(file: path, entries: entries)

        var alignment = 32
        if let declared = metadata["general.alignment"] {
            guard case .uint32(let value) = declared else {
                throw ModelFileError(file: path, key: "general.alignment", reason: "expected uint32, found \(declared.type)")
            }
            guard value > 0, value & (value - 1) == 0, value <= 1 << 16 else {
                throw ModelFileError(file: path, key: "general.alignment", reason: "alignment \(value) is not a power of two in 1...65536")
            }
            alignment = Int(value)
        }

        // MARK: Tensor infos
        struct RawInfo { let name: String; let type: TensorType; let shape: [Int]; let relative: Int; let bytes: Int; let at: Int }
        var raw: [RawInfo] = []
        raw.reserveCapacity(Int(tensorCount))
        var index: [String: Int] = [:]
        for i in 0..<Int(tensorCount) {
            let at = reader.offset
            let name = try reader.readString()
            guard index[name] == nil else {
                throw ModelFileError(file: path, offset: at, key: name, reason: "duplicate tensor name")
            }
            let dimensionCount = try reader.read(UInt32.self, key: name)
            guard dimensionCount >= 1, dimensionCount <= Self.maximumDimensions else {
                throw ModelFileError(file: path, offset: at, key: name, reason: "dimension count \(dimensionCount) is not in 1...\(Self.maximumDimensions)")
            }
            var shape: [Int] = []
            var elements = 1
            for _ in 0..<Int(dimensionCount) {
                let dimension = try reader.read(UInt64.self, key: name)
                guard dimension >= 1, dimension <= UInt64(Int32.max) else {
                    throw ModelFileError(file: path, offset: at, key: name, reason: "dimension \(dimension) is zero or absurdly large")
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(dimension))
                guard !overflow, product <= 1 << 40 else {
                    throw ModelFileError(file: path, offset: at, key: name, reason: "the product of the dimensions overflows")
                }
                elements = product
                shape.append(Int(dimension))
            }
            let typeRaw = try reader.read(UInt32.self, key: name)
            guard let type = TensorType(rawValue: typeRaw) else {
                throw ModelFileError(file: path, offset: at, key: name, reason: "unknown tensor type \(typeRaw)")
            }
            guard let rowBytes = type.rowBytes(count: shape[0]) else {
                throw ModelFileError(file: path, offset: at, key: name, reason: "first dimension \(shape[0]) is not a multiple of the \(type) block size \(type.blockSize)")
            }
            let (bytes, overflow) = rowBytes.multipliedReportingOverflow(by: elements / shape[0])
            guard !overflow else {
                throw ModelFileError(file: path, offset: at, key: name, reason: "tensor size overflows")
            }
            let relative = try reader.read(UInt64.self, key: name)
            guard relative <= UInt64(Int.max / 2) else {
                throw ModelFileError(file: path, offset: at, key: name, reason: "data offset \(relative) is absurd")
            }
            guard Int(relative) % alignment == 0 else {
                throw ModelFileError(file: path, offset: at, key: name, reason: "data offset \(relative) is not aligned to \(alignment)")
            }
            index[name] = i
            raw.append(RawInfo(name: name, type: type, shape: shape, relative: Int(relative), bytes: bytes, at: at))
        }
        reader.align(to: alignment)
        let dataOffset = reader.offset
        let fileSize = mapping.bytes.count

        // MARK: Bounds and overlaps
        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(raw.count)
        for r in raw {
            let (start, o1) = dataOffset.addingReportingOverflow(r.relative)
            let (end, o2) = start.addingReportingOverflow(r.bytes)
            guard !o1, !o2, end <= fileSize else {
                throw ModelFileError(file: path, offset: r.at, key: r.name, reason: "data (\(r.bytes) bytes at \(dataOffset) + \(r.relative)) runs past the end of the file (\(fileSize) bytes)")
            }
            infos.append(GGUFTensorInfo(name: r.name, type: r.type, shape: r.shape, offset: start, byteCount: r.bytes))
        }
        let sorted = infos.sorted { $0.offset < $1.offset }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.offset + a.byteCount > b.offset {
            throw ModelFileError(file: path, offset: b.offset, key: b.name, reason: "tensor data overlaps tensor '\(a.name)'")
        }

        self.path = path
        self.version = version
        self.metadata = metadata
        self.tensorInfos = infos
        self.alignment = alignment
        self.dataOffset = dataOffset
        self.mapping = mapping
        self.tensorIndex = index
    }

    /// Reads one value of the type tag that follows (the tag precedes only top-level values).
    private static func readValue(_ reader: inout ByteReader, key: String, depth: Int, owner: MappedFile) throws(ModelFileError) -> GGUFValue {
        let at = reader.offset
        let raw = try reader.read(UInt32.self, key: key)
        guard let type = GGUFValueType(rawValue: raw) else {
            throw reader.error("unknown metadata value type \(raw)", at: at, key: key)
        }
        return try readValue(&reader, type: type, key: key, depth: depth, owner: owner)
    }

    private static func readValue(
        _ reader: inout ByteReader, type: GGUFValueType, key: String, depth: Int, owner: MappedFile
    ) throws(ModelFileError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, key: key))
        case .int8: return .int8(try reader.read(Int8.self, key: key))
        case .uint16: return .uint16(try reader.read(UInt16.self, key: key))
        case .int16: return .int16(try reader.read(Int16.self, key: key))
        case .uint32: return .uint32(try reader.read(UInt32.self, key: key))
        case .int32: return .int32(try reader.read(Int32.self, key: key))
        case .uint64: return .uint64(try reader.read(UInt64.self, key: key))
        case .int64: return .int64(try reader.read(Int64.self, key: key))
        case .float32: return .float32(try reader.readFloat(key: key))
        case .float64: return .float64(try reader.readDouble(key: key))
        case .bool:
            let at = reader.offset
            let byte = try reader.read(UInt8.self, key: key)
            guard byte <= 1 else { throw reader.error("bool value \(byte) is neither 0 nor 1", at: at, key: key) }
            return .bool(byte == 1)
        case .string: return .string(try reader.readString(key: key))
        case .array:
            let at = reader.offset
            guard depth < maximumNesting else {
                throw reader.error("arrays nested deeper than \(maximumNesting) levels", at: at, key: key)
            }
            let rawElement = try reader.read(UInt32.self, key: key)
            guard let element = GGUFValueType(rawValue: rawElement) else {
                throw reader.error("unknown array element type \(rawElement)", at: at, key: key)
            }
            let count = try reader.read(UInt64.self, key: key)
            guard count <= UInt64(reader.remaining / element.minimumBytes) else {
                throw reader.error("array of \(count) \(element) values is larger than the rest of the file", at: at, key: key)
            }
            // Strings stay in the file, checked, until asked for (vocabularies hold ~100 000).
            if element == .string {
                return .strings(try GGUFStringArray(count: Int(count), reader: &reader, owner: owner, key: key))
            }
            var values: [GGUFValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                // Elements carry no tag of their own; a nested array starts with its element type.
                values.append(try readValue(&reader, type: element, key: key, depth: depth + 1, owner: owner))
            }
            return .array(element, values)
        }
    }

    // MARK: Tensors

    /// Whether the file has a tensor called `name`.
    public func hasTensor(named name: String) -> Bool { tensorIndex[name] != nil }

    /// A zero-copy view of the tensor called `name`.
    public func tensor(named name: String) throws(ModelFileError) -> TensorView {
        guard let i = tensorIndex[name] else {
            throw ModelFileError(file: path, key: name, reason: "tensor is missing")
        }
        let info = tensorInfos[i]
        let bytes = UnsafeRawBufferPointer(rebasing: mapping.bytes[info.offset..<(info.offset + info.byteCount)])
        return TensorView(name: info.name, type: info.type, shape: info.shape, bytes: bytes, owner: mapping)
    }
}
