// MARK: - safetensors files

/// Where one tensor lives in a safetensors file.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's name (`encoder.layer.0.attention.self.query.weight`).
    public let name: String
    /// The dtype string as written in the header (`F32`, `BF16`, …).
    public let dtype: String
    /// Element encoding.
    public let type: TensorType
    /// Dimensions as written in the file: row-major, slowest-varying first (PyTorch order), so a
    /// linear layer's weight is `[out, in]`. Empty for a scalar.
    public let shape: [Int]
    /// Absolute byte offset of the data in the file.
    public let offset: Int
    /// Bytes of data (`shape` product × element size).
    public let byteCount: Int
}

/// A safetensors file, memory-mapped: the JSON header parsed and validated up front, tensors as
/// zero-copy views.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON (an object mapping each tensor
/// name to `{dtype, shape, data_offsets}`, plus an optional `__metadata__` object of strings), then
/// the data section, which `data_offsets` index relative to its start. The file is untrusted input:
/// the header length, every dtype, dimension and offset is checked, and a malformed file ends in a
/// `ModelFileError` naming the offset or tensor — never a trap or a huge allocation.
public final class SafetensorsFile: @unchecked Sendable {
    /// Path of the file.
    public let path: String
    /// The `__metadata__` strings (empty when the header has none).
    public let metadata: [String: String]
    /// Tensors in header order.
    public let tensorInfos: [SafetensorsTensorInfo]
    /// Absolute offset of the data section (8 + header length).
    public let dataOffset: Int
    /// The mapping every tensor view points into.
    public let mapping: MappedFile
    private let tensorIndex: [String: Int]

    /// Largest header accepted (the reference implementation's limit).
    public static let maximumHeaderBytes = 100_000_000
    /// Most dimensions a tensor may have.
    public static let maximumDimensions = 8
    /// Largest element count of one tensor (2^40).
    public static let maximumElements = 1 << 40

    /// Maps and parses the file at `path`.
    public convenience init(path: String) throws(ModelFileError) {
        try self.init(mapping: MappedFile(path: path))
    }

    /// Parses an already-mapped file.
    public init(mapping: MappedFile) throws(ModelFileError) {
        let path = mapping.path
        let bytes = mapping.bytes
        guard bytes.count >= 8 else {
            throw ModelFileError(file: path, offset: 0, reason: "file of \(bytes.count) bytes is too short for a safetensors header length")
        }
        let headerLength = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        guard headerLength >= 2 else {
            throw ModelFileError(file: path, offset: 0, reason: "header length \(headerLength) is too small for a JSON object")
        }
        guard headerLength <= UInt64(Self.maximumHeaderBytes) else {
            throw ModelFileError(file: path, offset: 0, reason: "header length \(headerLength) is larger than the \(Self.maximumHeaderBytes)-byte limit")
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw ModelFileError(file: path, offset: 0, reason: "header length \(headerLength) runs past the end of the file (\(bytes.count) bytes)")
        }
        let dataOffset = 8 + Int(headerLength)
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[8..<dataOffset])
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw ModelFileError(file: path, offset: 8, reason: "header does not start with '{'")
        }
        var parser = HeaderJSONParser(bytes: headerBytes, file: path, base: 8)
        let document = try parser.parseDocument()
        guard case .object(let members) = document else {
            throw ModelFileError(file: path, offset: 8, reason: "header is \(document.kind), not a JSON object")
        }
        let dataBytes = bytes.count - dataOffset

        var metadata: [String: String] = [:]
        var infos: [SafetensorsTensorInfo] = []
        infos.reserveCapacity(members.count)
        var index: [String: Int] = [:]
        for member in members {
            let name = member.key
            if name == "__metadata__" {
                guard case .object(let entries) = member.value else {
                    throw ModelFileError(file: path, offset: member.offset, key: name, reason: "must be an object of strings, found \(member.value.kind)")
                }
                for entry in entries {
                    guard case .string(let text) = entry.value else {
                        throw ModelFileError(file: path, offset: entry.offset, key: "__metadata__." + entry.key, reason: "metadata value must be a string, found \(entry.value.kind)")
                    }
                    metadata[entry.key] = text
                }
                continue
            }
            let info = try Self.tensorInfo(member.value, name: name, at: member.offset, path: path, dataOffset: dataOffset, dataBytes: dataBytes)
            index[name] = infos.count
            infos.append(info)
        }

        // MARK: Overlaps
        let sorted = infos.sorted { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.offset + a.byteCount > b.offset {
            throw ModelFileError(file: path, offset: b.offset, key: b.name, reason: "tensor data overlaps tensor '\(a.name)'")
        }

        self.path = path
        self.metadata = metadata
        self.tensorInfos = infos
        self.dataOffset = dataOffset
        self.mapping = mapping
        self.tensorIndex = index
    }

    /// Validates one tensor entry `{dtype, shape, data_offsets}`.
    private static func tensorInfo(
        _ value: HeaderJSON, name: String, at: Int, path: String, dataOffset: Int, dataBytes: Int
    ) throws(ModelFileError) -> SafetensorsTensorInfo {
        func fail(_ reason: String) -> ModelFileError { ModelFileError(file: path, offset: at, key: name, reason: reason) }
        guard case .object(let fields) = value else { throw fail("tensor entry must be an object, found \(value.kind)") }
        var dtypeValue: HeaderJSON?
        var shapeValue: HeaderJSON?
        var offsetsValue: HeaderJSON?
        for field in fields {
            switch field.key {
            case "dtype": dtypeValue = field.value
            case "shape": shapeValue = field.value
            case "data_offsets": offsetsValue = field.value
            default: throw fail("unexpected field '\(field.key)' in a tensor entry")
            }
        }
        guard case .string(let dtype)? = dtypeValue else { throw fail("missing or non-string 'dtype'") }
        guard let type = SafetensorsDType.tensorType(dtype) else {
            throw fail("unknown or unsupported dtype '\(dtype)' (supported: \(SafetensorsDType.supported.joined(separator: ", ")))")
        }
        guard case .array(let dimensions)? = shapeValue else { throw fail("missing or non-array 'shape'") }
        guard dimensions.count <= maximumDimensions else {
            throw fail("\(dimensions.count) dimensions (at most \(maximumDimensions))")
        }
        var shape: [Int] = []
        var elements = 1
        for dimension in dimensions {
            guard let d = dimension.unsignedInteger else { throw fail("shape entry \(dimension.kind) is not a non-negative integer") }
            guard d <= UInt64(Int32.max) else { throw fail("dimension \(d) is absurdly large") }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
            guard !overflow, product <= maximumElements else { throw fail("the product of the dimensions \(dimensions.compactMap(\.unsignedInteger)) overflows") }
            elements = product
            shape.append(Int(d))
        }
        guard case .array(let offsets)? = offsetsValue, offsets.count == 2 else {
            throw fail("missing 'data_offsets' or not a pair [begin, end]")
        }
        guard let begin = offsets[0].unsignedInteger, let end = offsets[1].unsignedInteger else {
            throw fail("data_offsets must be non-negative integers")
        }
        guard begin <= end else { throw fail("data_offsets [\(begin), \(end)]: begin is after end") }
        guard end <= UInt64(dataBytes) else {
            throw fail("data_offsets [\(begin), \(end)] run past the end of the data section (\(dataBytes) bytes)")
        }
        let byteCount = elements * type.blockBytes  // elements <= 2^40, blockBytes <= 8: no overflow
        guard end - begin == UInt64(byteCount) else {
            throw fail("data_offsets [\(begin), \(end)] hold \(end - begin) bytes, but \(dtype) \(shape) needs \(byteCount)")
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, type: type, shape: shape, offset: dataOffset + Int(begin), byteCount: byteCount)
    }

    // MARK: Tensors

    /// Whether the file has a tensor called `name`.
    public func hasTensor(named name: String) -> Bool { tensorIndex[name] != nil }

    /// The tensor called `name`'s placement, if present.
    public func info(named name: String) -> SafetensorsTensorInfo? { tensorIndex[name].map { tensorInfos[$0] } }

    /// A zero-copy view of the tensor called `name`.
    ///
    /// The view's shape is in GGML order (fastest-varying first, the reverse of the file's), like
    /// every `TensorView`, so an HF `[out, in]` weight becomes `[in, out]`: `out` rows of `in` values.
    /// A scalar becomes shape `[1]`. The bytes may not be aligned to the element size; read them
    /// with `loadUnaligned`.
    public func tensor(named name: String) throws(ModelFileError) -> TensorView {
        guard let i = tensorIndex[name] else {
            throw ModelFileError(file: path, key: name, reason: "tensor is missing")
        }
        let info = tensorInfos[i]
        let bytes = UnsafeRawBufferPointer(rebasing: mapping.bytes[info.offset..<(info.offset + info.byteCount)])
        let shape = info.shape.isEmpty ? [1] : Array(info.shape.reversed())
        return TensorView(name: info.name, type: info.type, shape: shape, bytes: bytes, owner: mapping)
    }
}
