import Foundation
import TokenscopeFormats
import TokenscopeKernels

// MARK: - Where weights come from

/// The tensors of one model file, looked up by role: a GGUF file (llama.cpp's names) or an HF
/// `model.safetensors` (the architecture's names), with the checks every tensor must pass.
struct WeightSource {
    /// The file behind the tensors.
    enum Storage {
        case gguf(GGUFFile)
        case safetensors(SafetensorsFile, prefix: String)
    }

    let storage: Storage
    let architecture: Architecture

    /// The file named in errors.
    var path: String {
        switch storage {
        case .gguf(let file): file.path
        case .safetensors(let file, _): file.path
        }
    }

    /// Opens `file` for `architecture`, choosing the HF prefix under which the token embedding exists.
    init(safetensors file: SafetensorsFile, architecture: Architecture) {
        let prefix = architecture.hfPrefixes.first {
            architecture.hfName(.tokenEmbedding, 0, $0).map(file.hasTensor(named:)) ?? false
        } ?? architecture.hfPrefixes.first ?? ""
        self.storage = .safetensors(file, prefix: prefix)
        self.architecture = architecture
    }

    /// Wraps a GGUF file.
    init(gguf file: GGUFFile, architecture: Architecture) {
        self.storage = .gguf(file)
        self.architecture = architecture
    }

    /// The name of `role` in block `layer` in this file, or nil when the format has no such tensor.
    func name(_ role: TensorRole, layer: Int = 0) -> String? {
        switch storage {
        case .gguf: role.ggufName(layer: layer)
        case .safetensors(_, let prefix): architecture.hfName(role, layer, prefix)
        }
    }

    /// Whether the file has `role` in block `layer`.
    func has(_ role: TensorRole, layer: Int = 0) -> Bool {
        guard let name = name(role, layer: layer) else { return false }
        switch storage {
        case .gguf(let file): return file.hasTensor(named: name)
        case .safetensors(let file, _): return file.hasTensor(named: name)
        }
    }

    /// The raw view of `role`; a missing tensor is an error naming it.
    func view(_ role: TensorRole, layer: Int = 0) throws(ModelError) -> TensorView {
        guard let name = name(role, layer: layer) else {
            throw .unsupported(file: path, reason: "the \(architecture.name) architecture has no name for \(role.rawValue) in this format")
        }
        do {
            switch storage {
            case .gguf(let file): return try file.tensor(named: name)
            case .safetensors(let file, _): return try file.tensor(named: name)
            }
        } catch {
            throw .unsupported(file: path, reason: "tensor \(name) is missing or unreadable: \(error.reason)")
        }
    }

    /// Every tensor's element count and byte count, for the model's summary.
    var tensorSizes: [(elements: Int, bytes: Int)] {
        switch storage {
        case .gguf(let file): file.tensorInfos.map { ($0.shape.reduce(1, *), $0.byteCount) }
        case .safetensors(let file, _): file.tensorInfos.map { ($0.shape.reduce(1, *), $0.byteCount) }
        }
    }

    // MARK: Checked tensors

    /// A weight matrix of `rows` outputs × `columns` inputs (GGML shape `[columns, rows]`), in a
    /// type the kernels multiply. HF Conv1D matrices (`[in, out]`) are transposed into f32 once.
    func matrix(_ role: TensorRole, layer: Int = 0, columns: Int, rows: Int) throws(ModelError) -> TensorView {
        var view = try view(role, layer: layer)
        let isLinear = role != .tokenEmbedding && role != .positionEmbedding && role != .output
        if case .safetensors = storage, architecture.hfTransposesLinears, isLinear, view.shape.count == 2 {
            guard view.shape == [rows, columns] else { throw wrongShape(view, expected: [rows, columns], note: " (Conv1D, [in, out])") }
            view = try Self.transposed(view, file: path)
        }
        guard view.shape == [columns, rows] else { throw wrongShape(view, expected: [columns, rows]) }
        guard Linear.canMultiply(view.type) else {
            throw .unsupported(file: path, reason: "tensor \(view.name) has type \(view.type), which Tokenscope cannot multiply")
        }
        return view
    }

    /// A vector of `count` values (a norm's weights, a bias) as f32, plus `offset` for RMS norms
    /// of HF checkpoints that store w for (1 + w).
    func vector(_ role: TensorRole, layer: Int = 0, count: Int, offset: Float = 0) throws(ModelError) -> [Float] {
        let view = try view(role, layer: layer)
        guard view.elementCount == count, view.shape.count == 1 else { throw wrongShape(view, expected: [count]) }
        guard var values = Linear.floats(of: view) else {
            throw .unsupported(file: path, reason: "tensor \(view.name) has type \(view.type), which Tokenscope cannot read")
        }
        if offset != 0 { for i in values.indices { values[i] += offset } }
        return values
    }

    /// The norm offset for weights of this file (HF Gemma's 1, else 0).
    var normOffset: Float {
        if case .safetensors = storage { return architecture.hfNormOffset }
        return 0
    }

    private func wrongShape(_ view: TensorView, expected: [Int], note: String = "") -> ModelError {
        .unsupported(file: path, reason: "tensor \(view.name) has shape \(view.shape), expected \(expected)\(note) (shapes fastest-varying first)")
    }

    /// `view` (GGML shape [out, in]: `in` rows of `out`) as an f32 matrix of `out` rows of `in`.
    static func transposed(_ view: TensorView, file: String) throws(ModelError) -> TensorView {
        guard let values = Linear.floats(of: view) else {
            throw .unsupported(file: file, reason: "tensor \(view.name) has type \(view.type), which Tokenscope cannot read")
        }
        let inputs = view.rows, outputs = view.columns
        let storage = OwnedBytes(count: values.count * MemoryLayout<Float>.size)
        let out = storage.bytes.bindMemory(to: Float.self)
        for i in 0..<inputs {
            for o in 0..<outputs { out[o * inputs + i] = values[i * outputs + o] }
        }
        return TensorView(name: view.name, type: .f32, shape: [inputs, outputs], bytes: UnsafeRawBufferPointer(storage.bytes), owner: storage)
    }

    /// Rows `range` of a matrix view (a part of a fused matrix), sharing its bytes.
    static func rows(_ range: Range<Int>, of view: TensorView, name: String) -> TensorView {
        let stride = view.rowStride
        let bytes = UnsafeRawBufferPointer(rebasing: view.bytes[(range.lowerBound * stride)..<(range.upperBound * stride)])
        return TensorView(name: name, type: view.type, shape: [view.columns, range.count], bytes: bytes, owner: view.owner)
    }
}

/// Bytes the model owns (a transposed matrix), freed with the last view of them.
final class OwnedBytes: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    init(count: Int) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 64)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { bytes.deallocate() }
}
