import Foundation

/// The golden files written by Tests/Reference/forward/numpy_forward.py.
struct ForwardGolden: Decodable {
    struct Prompt: Decodable {
        let name: String
        let text: String
        let ids: [Int]
        let logits: String
        let logits_positions: [Int]
        let greedy: [Int]
        let greedy_gaps: [Double]
        let attention_layers: [Int]?
        let residual_norms_last: [Double]?
    }
    let vocab: Int
    let prompts: [Prompt]

    static func load() throws -> ForwardGolden {
        try JSONDecoder().decode(ForwardGolden.self, from: Data(contentsOf: fixture("forward-golden.json")))
    }

    static func fixture(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
    }

    /// Little-endian float32 values of a fixture file.
    static func floats(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: fixture(name))
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }
}
