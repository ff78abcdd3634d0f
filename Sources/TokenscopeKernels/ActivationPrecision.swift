import Foundation

// MARK: - How a single activation row meets quantised weights

/// The number format an activation row takes in a matrix-vector product with quantised weights.
///
/// `.float` keeps the row in f32 and converts the weights to floats (results within rounding of a
/// float reference). `.int8` first quantises the row per block of 32 to int8 with the block's
/// scale and sum (GGML's Q8_1, as llama.cpp does), then takes integer dot products with the
/// weights' own integers (`IntegerRowDot`): several times fewer instructions per weight, at the
/// price of the activation's rounding to 8 bits (a relative error near 1/254 per element, which is
/// what llama.cpp's logits carry too). Only single rows (decoding) use it; batches stay f32.
public enum ActivationPrecision: String, Sendable, CaseIterable {
    /// f32 activations against weights converted to f32.
    case float
    /// Activations quantised per 32-block to int8 (scale and sum kept), integer dot products.
    case int8

    /// The precision for sessions that generate text (`generate`, `bench`): `.int8` where the
    /// integer kernels were compiled in (x86-64 with AVX2), `.float` elsewhere; the environment
    /// variable `TOKENSCOPE_ACTIVATIONS=float` turns it to f32 for the whole process.
    public static let decodingDefault: ActivationPrecision = {
        let requested = ProcessInfo.processInfo.environment["TOKENSCOPE_ACTIVATIONS"].flatMap(ActivationPrecision.init(rawValue:))
        if requested == .float || !IntegerRowDot.isAvailable { return .float }
        return .int8
    }()
}
