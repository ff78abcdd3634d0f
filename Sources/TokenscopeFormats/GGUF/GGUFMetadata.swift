// MARK: - Metadata

/// The key–value metadata of a GGUF file with typed, checked accessors.
///
/// Every accessor throws a `ModelFileError` naming the key when it is absent or of the wrong type;
/// the `IfPresent` variants return nil for an absent key but still throw on a wrong type.
public struct GGUFMetadata: Sendable {
    /// Keys in file order.
    public let keys: [String]
    let values: [String: GGUFValue]
    let file: String

    init(file: String, entries: [(String, GGUFValue)]) {
        self.file = file
        self.keys = entries.map(\.0)
        var values: [String: GGUFValue] = [:]
        for (key, value) in entries { values[key] = value }
        self.values = values
    }

    /// The raw value of `key`.
    public subscript(key: String) -> GGUFValue? { values[key] }

    private func missing(_ key: String) -> ModelFileError {
        ModelFileError(file: file, key: key, reason: "required metadata key is missing")
    }

    private func wrongType(_ key: String, _ value: GGUFValue, expected: String) -> ModelFileError {
        ModelFileError(file: file, key: key, reason: "expected \(expected), found \(value.type)")
    }

    // MARK: Scalars

    /// An integer of any width, range-checked into Int.
    public func int(_ key: String) throws(ModelFileError) -> Int {
        guard let value = try intIfPresent(key) else { throw missing(key) }
        return value
    }

    /// An integer, or nil when the key is absent.
    public func intIfPresent(_ key: String) throws(ModelFileError) -> Int? {
        guard let value = values[key] else { return nil }
        guard let int = value.intValue else { throw wrongType(key, value, expected: "an integer that fits in 64 bits") }
        return int
    }

    /// A float32 or float64.
    public func float(_ key: String) throws(ModelFileError) -> Double {
        guard let value = try floatIfPresent(key) else { throw missing(key) }
        return value
    }

    /// A float, or nil when the key is absent.
    public func floatIfPresent(_ key: String) throws(ModelFileError) -> Double? {
        guard let value = values[key] else { return nil }
        guard let float = value.floatValue else { throw wrongType(key, value, expected: "a float") }
        return float
    }

    /// A string.
    public func string(_ key: String) throws(ModelFileError) -> String {
        guard let value = try stringIfPresent(key) else { throw missing(key) }
        return value
    }

    /// A string, or nil when the key is absent.
    public func stringIfPresent(_ key: String) throws(ModelFileError) -> String? {
        guard let value = values[key] else { return nil }
        guard case .string(let s) = value else { throw wrongType(key, value, expected: "a string") }
        return s
    }

    /// A bool.
    public func bool(_ key: String) throws(ModelFileError) -> Bool {
        guard let value = try boolIfPresent(key) else { throw missing(key) }
        return value
    }

    /// A bool, or nil when the key is absent.
    public func boolIfPresent(_ key: String) throws(ModelFileError) -> Bool? {
        guard let value = values[key] else { return nil }
        guard case .bool(let b) = value else { throw wrongType(key, value, expected: "a bool") }
        return b
    }

    // MARK: Arrays

    private func array(_ key: String, _ accepts: (GGUFValueType) -> Bool, expected: String) throws(ModelFileError) -> [GGUFValue]? {
        guard let value = values[key] else { return nil }
        guard case .array(let type, let elements) = value, accepts(type) else {
            throw wrongType(key, value, expected: expected)
        }
        return elements
    }

    /// An array declared as strings.
    public func strings(_ key: String) throws(ModelFileError) -> [String] {
        guard let values = try stringsIfPresent(key) else { throw missing(key) }
        return values
    }

    /// An array of strings, or nil when the key is absent.
    public func stringsIfPresent(_ key: String) throws(ModelFileError) -> [String]? {
        try stringArrayIfPresent(key).map(Array.init)
    }

    /// An array declared as strings, in place (no `String` made until an element is read).
    public func stringArray(_ key: String) throws(ModelFileError) -> GGUFStringArray {
        guard let values = try stringArrayIfPresent(key) else { throw missing(key) }
        return values
    }

    /// An array of strings in place, or nil when the key is absent.
    public func stringArrayIfPresent(_ key: String) throws(ModelFileError) -> GGUFStringArray? {
        guard let value = values[key] else { return nil }
        guard case .strings(let elements) = value else { throw wrongType(key, value, expected: "an array of strings") }
        return elements
    }

    /// An array declared as float32 or float64.
    public func floats(_ key: String) throws(ModelFileError) -> [Float] {
        guard let elements = try array(key, { $0 == .float32 || $0 == .float64 }, expected: "an array of floats") else {
            throw missing(key)
        }
        return elements.map { Float($0.floatValue ?? 0) }
    }

    /// An array declared as an integer type, each element range-checked into Int.
    public func ints(_ key: String) throws(ModelFileError) -> [Int] {
        guard let values = try intsIfPresent(key) else { throw missing(key) }
        return values
    }

    /// An array of integers, or nil when the key is absent.
    public func intsIfPresent(_ key: String) throws(ModelFileError) -> [Int]? {
        let integer: Set<GGUFValueType> = [.uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64]
        guard let elements = try array(key, { integer.contains($0) }, expected: "an array of integers") else { return nil }
        var out: [Int] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard let v = element.intValue else {
                throw ModelFileError(file: file, key: key, reason: "array element \(element.summary) does not fit in 64 bits")
            }
            out.append(v)
        }
        return out
    }
}
