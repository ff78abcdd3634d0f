// MARK: - Tensor element types

/// The element encodings a model file can store a tensor in, with their GGML type ids.
///
/// Quantised types store weights in fixed-size blocks; `blockSize` weights take `blockBytes` bytes.
/// The raw values are GGML's `ggml_type` numbers, as written in GGUF tensor infos.
public enum TensorType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case bf16 = 30

    /// Weights per block (1 for plain element types).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .i8, .i16, .i32, .i64, .f64: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1: 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K: 256
        }
    }

    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .i8: 1
        case .i16: 2
        case .i32: 4
        case .i64, .f64: 8
        case .q4_0: 18  // f16 d, 16 bytes of nibbles
        case .q4_1: 20  // f16 d, f16 m, 16 bytes of nibbles
        case .q5_0: 22  // f16 d, 4 bytes of high bits, 16 bytes of nibbles
        case .q5_1: 24  // f16 d, f16 m, 4 bytes of high bits, 16 bytes of nibbles
        case .q8_0: 34  // f16 d, 32 int8
        case .q8_1: 36  // f16 d, f16 s, 32 int8
        case .q2_K: 84  // 16 scales, 64 quants, f16 d, f16 dmin
        case .q3_K: 110  // 32 hmask, 64 quants, 12 scales, f16 d
        case .q4_K: 144  // f16 d, f16 dmin, 12 scales, 128 quants
        case .q5_K: 176  // f16 d, f16 dmin, 12 scales, 32 qh, 128 qs
        case .q6_K: 210  // 128 ql, 64 qh, 16 int8 scales, f16 d
        case .q8_K: 292  // f32 d, 256 int8, 16 int16 block sums
        }
    }

    /// Whether Tokenscope can dequantise this type and multiply with it.
    public var isSupported: Bool {
        switch self {
        case .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K, .q8_K: true
        default: false
        }
    }

    /// The name GGML and llama.cpp print for the type (`Q4_1`, `F32`, …).
    public var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q8_1: "Q8_1"
        case .q2_K: "Q2_K"
        case .q3_K: "Q3_K"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        case .q8_K: "Q8_K"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        case .f64: "F64"
        }
    }

    /// Bytes taken by a row of `count` elements, or nil when `count` is not a whole number of blocks
    /// or the size overflows.
    public func rowBytes(count: Int) -> Int? {
        guard count >= 0, count % blockSize == 0 else { return nil }
        let (bytes, overflow) = (count / blockSize).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }
}
