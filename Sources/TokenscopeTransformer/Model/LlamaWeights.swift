import TokenscopeFormats

// MARK: - Weights

/// The weights of one transformer block: zero-copy views into the model file, norms as f32.
struct BlockWeights: Sendable {
    let attentionNorm: [Float]  // (width)
    let query: TensorView  // (width out, width in)
    let key: TensorView  // (kvWidth out, width in)
    let value: TensorView  // (kvWidth out, width in)
    let output: TensorView  // (width out, width in)
    let mlpNorm: [Float]  // (width)
    let gate: TensorView  // (mlpWidth out, width in)
    let up: TensorView  // (mlpWidth out, width in)
    let down: TensorView  // (width out, mlpWidth in)
}

/// Every weight of a Llama model, checked against the configuration's shapes.
struct LlamaWeights: Sendable {
    let tokenEmbedding: TensorView  // (vocabulary rows, width)
    let outputNorm: [Float]  // (width)
    let output: TensorView  // (vocabulary out, width in); the embedding itself when tied
    let blocks: [BlockWeights]
    /// Whether the output projection is the input embedding (no `output.weight`).
    let isTied: Bool

    /// Looks up and checks every tensor a Llama forward pass reads.
    init(file: GGUFFile, configuration c: LlamaConfiguration) throws(ModelError) {
        func matrix(_ name: String, columns: Int, rows: Int) throws(ModelError) -> TensorView {
            let view: TensorView
            do { view = try file.tensor(named: name) } catch { throw .file(error) }
            guard view.shape == [columns, rows] else {
                throw .unsupported(
                    file: file.path, reason: "tensor \(name) has shape \(view.shape), expected [\(columns), \(rows)]")
            }
            guard Linear.canMultiply(view.type) else {
                throw .unsupported(file: file.path, reason: "tensor \(name) has type \(view.type), which Tokenscope cannot multiply")
            }
            return view
        }
        func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
            let view: TensorView
            do { view = try file.tensor(named: name) } catch { throw .file(error) }
            guard view.shape == [count] else {
                throw .unsupported(file: file.path, reason: "tensor \(name) has shape \(view.shape), expected [\(count)]")
            }
            guard let values = Linear.floats(of: view) else {
                throw .unsupported(file: file.path, reason: "tensor \(name) has type \(view.type), which Tokenscope cannot read")
            }
            return values
        }
        tokenEmbedding = try matrix("token_embd.weight", columns: c.width, rows: c.vocabularySize)
        outputNorm = try vector("output_norm.weight", count: c.width)
        if file.hasTensor(named: "output.weight") {
            output = try matrix("output.weight", columns: c.width, rows: c.vocabularySize)
            isTied = false
        } else {
            output = tokenEmbedding
            isTied = true
        }
        var blocks: [BlockWeights] = []
        blocks.reserveCapacity(c.blockCount)
        for layer in 0..<c.blockCount {
            let p = "blk.\(layer)."
            blocks.append(BlockWeights(
                attentionNorm: try vector(p + "attn_norm.weight", count: c.width),
                query: try matrix(p + "attn_q.weight", columns: c.width, rows: c.width),
                key: try matrix(p + "attn_k.weight", columns: c.width, rows: c.kvWidth),
                value: try matrix(p + "attn_v.weight", columns: c.width, rows: c.kvWidth),
                output: try matrix(p + "attn_output.weight", columns: c.width, rows: c.width),
                mlpNorm: try vector(p + "ffn_norm.weight", count: c.width),
                gate: try matrix(p + "ffn_gate.weight", columns: c.width, rows: c.mlpWidth),
                up: try matrix(p + "ffn_up.weight", columns: c.width, rows: c.mlpWidth),
                down: try matrix(p + "ffn_down.weight", columns: c.mlpWidth, rows: c.width)))
        }
        self.blocks = blocks
    }
}
