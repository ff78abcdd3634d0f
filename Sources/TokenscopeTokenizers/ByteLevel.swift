// MARK: - GPT-2 byte-level alphabet

/// GPT-2's reversible map from bytes to printable Unicode scalars (a space is `Ġ`, a newline `Ċ`).
public enum ByteLevel {
    /// scalar(for: byte) for every byte.
    static let forward: [Unicode.Scalar] = {
        var printable: [Int] = Array(33...126) + Array(161...172) + Array(174...255)
        var scalars = [Unicode.Scalar](repeating: " ", count: 256)
        var next = 256
        var isPrintable = [Bool](repeating: false, count: 256)
        for b in printable { isPrintable[b] = true }
        for b in 0..<256 {
            let value = isPrintable[b] ? b : { defer { next += 1 }; return next }()
            scalars[b] = Unicode.Scalar(UInt32(value)) ?? " "
        }
        printable.removeAll()
        return scalars
    }()

    /// byte(for: scalar) for the 256 scalars of the alphabet, indexed by scalar value (the alphabet
    /// ends below 324); -1 for values outside it.
    static let backward: [Int16] = {
        var map = [Int16](repeating: -1, count: 324)
        for (byte, scalar) in forward.enumerated() { map[Int(scalar.value)] = Int16(byte) }
        return map
    }()

    /// The printable scalar standing for `byte`.
    public static func scalar(for byte: UInt8) -> Unicode.Scalar { forward[Int(byte)] }

    /// The byte a scalar of the alphabet stands for, or nil for scalars outside it.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < backward.count, backward[value] >= 0 else { return nil }
        return UInt8(backward[value])
    }

    /// A byte string spelled in the alphabet.
    public static func spell(_ bytes: some Sequence<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        for byte in bytes { out.append(forward[Int(byte)]) }
        return String(out)
    }
}
