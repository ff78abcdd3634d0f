// MARK: - safetensors dtypes

/// The safetensors dtype strings Tokenscope reads, and the `TensorType` each maps to.
///
/// The weights Tokenscope computes with are F32, F16 and BF16; the integer and F64 dtypes are read so
/// that real checkpoints (which carry e.g. an I64 `position_ids` buffer) open and can be inspected.
/// Other dtypes (BOOL, U8, the F8 variants, …) have no `TensorType` and are rejected by name.
public enum SafetensorsDType {
    /// dtype string → tensor type.
    static let table: [String: TensorType] = [
        "F32": .f32, "F16": .f16, "BF16": .bf16, "F64": .f64,
        "I8": .i8, "I16": .i16, "I32": .i32, "I64": .i64,
    ]

    /// The dtype strings accepted, sorted.
    public static var supported: [String] { table.keys.sorted() }

    /// The tensor type for a dtype string, or nil when it is unknown or unsupported.
    public static func tensorType(_ dtype: String) -> TensorType? { table[dtype] }
}
