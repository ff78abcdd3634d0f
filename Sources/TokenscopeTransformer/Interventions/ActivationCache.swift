import Foundation

// MARK: - Recorded activations

/// Activations recorded from a forward run, by stage and layer: what activation patching copies
/// from and what mean ablation averages (TransformerLens's `ActivationCache`).
///
/// Filled by hooks during a run (``record(_:layer:into:)``), read afterwards. A class so the hooks
/// can write into it; a lock keeps that safe even though a session runs one forward pass at a time.
public final class ActivationCache: @unchecked Sendable {
    /// A recorded activation.
    public struct Key: Hashable, Sendable {
        /// The stage.
        public let stage: BlockStage
        /// The block.
        public let layer: Int
        /// Creates a key.
        public init(_ stage: BlockStage, layer: Int) {
            self.stage = stage
            self.layer = layer
        }
    }

    private var rows: [Key: [Float]] = [:]  // each (positions, width)
    private var widths: [Key: Int] = [:]
    private let lock = NSLock()

    /// An empty cache.
    public init() {}

    /// Adds a hook to `hooks` that copies `stage` of `layer` into this cache, at the rows' positions.
    /// Registered after other edits of the same stage, it records the edited values.
    public func record(_ stage: BlockStage, layer: Int, into hooks: inout ForwardHooks) {
        let key = Key(stage, layer: layer)
        hooks.add(stage, layer: layer) { [self] values, context in
            store(key, values, start: context.startPosition, rows: context.rows, width: context.width)
        }
    }

    private func store(_ key: Key, _ values: [Float], start: Int, rows count: Int, width: Int) {
        lock.lock()
        defer { lock.unlock() }
        var stored = self.rows[key] ?? []
        let needed = (start + count) * width
        if stored.count < needed { stored += [Float](repeating: 0, count: needed - stored.count) }
        stored.replaceSubrange((start * width)..<needed, with: values[0..<(count * width)])
        self.rows[key] = stored
        widths[key] = width
    }

    /// The recorded values of `stage` in `layer`: (positions, width), or nil when not recorded.
    public func values(_ stage: BlockStage, layer: Int) -> (values: [Float], width: Int)? {
        lock.lock()
        defer { lock.unlock() }
        let key = Key(stage, layer: layer)
        guard let stored = rows[key], let width = widths[key] else { return nil }
        return (stored, width)
    }

    /// Positions recorded for `stage` in `layer` (0 when not recorded).
    public func positionCount(_ stage: BlockStage, layer: Int) -> Int {
        guard let (values, width) = values(stage, layer: layer), width > 0 else { return 0 }
        return values.count / width
    }

    /// The mean over recorded positions of `stage` in `layer` (width), or nil when not recorded.
    public func mean(_ stage: BlockStage, layer: Int) -> [Float]? {
        guard let (values, width) = values(stage, layer: layer), width > 0, values.count >= width else { return nil }
        let positions = values.count / width
        var sum = [Double](repeating: 0, count: width)
        for p in 0..<positions {
            for i in 0..<width { sum[i] += Double(values[p * width + i]) }
        }
        return sum.map { Float($0 / Double(positions)) }
    }
}
