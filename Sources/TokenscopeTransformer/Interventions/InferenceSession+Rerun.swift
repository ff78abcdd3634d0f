// MARK: - Re-running the tail of a sequence from one block

extension InferenceSession {
    /// Re-runs positions `start..<count` through blocks `layer...` with `residual` (rows, width)
    /// as the stream entering block `layer`, and returns the new logits after the last position.
    /// Blocks before `layer` keep their cache (an edit at `layer` cannot change them), so
    /// activation patching at a late layer costs a fraction of a full run. Nothing is recorded in
    /// the trace; meant for sessions with observation off.
    func rerun(fromLayer layer: Int, start: Int, residual: [Float]) throws(ModelError) -> [Float] {
        let c = model.configuration
        let rows = count - start
        guard layer >= 0, layer < c.blockCount, start >= 0, rows > 0, residual.count == rows * c.width else {
            throw .invalidRequest("cannot re-run positions \(start)..<\(count) from layer \(layer) with \(residual.count) values")
        }
        for l in layer..<c.blockCount {
            keys[l].removeSubrange((start * c.kvWidth)...)
            values[l].removeSubrange((start * c.kvWidth)...)
        }
        var x = residual  // (rows, width)
        var buffers = BlockBuffers(c, rows: rows)
        var observer = NoObserver()
        for l in layer..<c.blockCount {
            runBlock(layer: l, x: &x, rows: rows, start: start, appendsToCache: true, buffers: &buffers, observer: &observer)
        }
        if let bad = x.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(layer: c.blockCount - 1, position: start + bad / c.width, stage: "residual stream after a re-run")
        }
        finalHidden.replaceSubrange((start * c.width)..<(count * c.width), with: x)
        lastLogits = try logits(at: count - 1)
        return lastLogits
    }
}
