// MARK: - Interventions as hooks

extension ForwardHooks {
    /// The hooks that carry out `interventions`, in order, on a model with configuration `c`.
    /// Mean ablations read their means from `means` (record them with an unedited run first:
    /// ``TransformerModel/run(_:interventions:options:recording:shouldCancel:)`` does it).
    public init(_ interventions: [Intervention], configuration c: ModelConfiguration, means: ActivationCache? = nil) throws(ModelError) {
        self.init()
        for intervention in interventions {
            try intervention.validate(c)
            try add(intervention, configuration: c, means: means)
        }
    }

    private mutating func add(_ intervention: Intervention, configuration c: ModelConfiguration, means: ActivationCache?) throws(ModelError) {
        let headSize = c.headSize
        func mean(_ stage: BlockStage, _ layer: Int) throws(ModelError) -> [Float] {
            guard let values = means?.mean(stage, layer: layer) else {
                throw .invalidRequest("mean ablation of layer \(layer) needs the mean of \(stage.rawValue) from an unedited run")
            }
            return values
        }
        switch intervention {
        case .ablateHead(let layer, let head, let mode):
            let replacement = mode == .mean
                ? Array(try mean(.headOutputs, layer)[(head * headSize)..<((head + 1) * headSize)])
                : [Float](repeating: 0, count: headSize)
            add(.headOutputs, layer: layer) { values, context in
                for row in 0..<context.rows {
                    let base = row * context.width + head * headSize
                    for i in 0..<headSize { values[base + i] = replacement[i] }
                }
            }
        case .scaleHead(let layer, let head, let factor):
            add(.headOutputs, layer: layer) { values, context in
                for row in 0..<context.rows {
                    let base = row * context.width + head * headSize
                    for i in 0..<headSize { values[base + i] *= factor }
                }
            }
        case .ablateAttention(let layer, let mode):
            try addSublayer(.attentionOutput, layer: layer, mode: mode, mean: mode == .mean ? mean(.attentionOutput, layer) : [])
        case .ablateMLP(let layer, let mode):
            try addSublayer(.mlpOutput, layer: layer, mode: mode, mean: mode == .mean ? mean(.mlpOutput, layer) : [])
        case .patch(let stage, let layer, let positions, let cache):
            guard let (source, width) = cache.values(stage, layer: layer) else {
                throw .invalidRequest("the patch source holds no \(stage.rawValue) for layer \(layer)")
            }
            let recorded = source.count / max(1, width)
            if let bad = positions?.first(where: { $0 < 0 || $0 >= recorded }) {
                throw .invalidRequest("position \(bad) is outside the patch source's positions 0...\(recorded - 1)")
            }
            let wanted = positions.map(Set.init)
            add(stage, layer: layer) { values, context in
                for row in 0..<context.rows {
                    let position = context.startPosition + row
                    guard position < recorded, wanted?.contains(position) ?? true, context.width == width else { continue }
                    for i in 0..<width { values[row * width + i] = source[position * width + i] }
                }
            }
        case .patchHead(let layer, let head, let positions, let cache):
            guard let (source, width) = cache.values(.headOutputs, layer: layer) else {
                throw .invalidRequest("the patch source holds no head outputs for layer \(layer)")
            }
            let recorded = source.count / max(1, width)
            if let bad = positions?.first(where: { $0 < 0 || $0 >= recorded }) {
                throw .invalidRequest("position \(bad) is outside the patch source's positions 0...\(recorded - 1)")
            }
            let wanted = positions.map(Set.init)
            add(.headOutputs, layer: layer) { values, context in
                for row in 0..<context.rows {
                    let position = context.startPosition + row
                    guard position < recorded, wanted?.contains(position) ?? true, context.width == width else { continue }
                    let base = head * headSize
                    for i in 0..<headSize { values[row * width + base + i] = source[position * width + base + i] }
                }
            }
        }
    }

    private mutating func addSublayer(_ stage: BlockStage, layer: Int, mode: AblationMode, mean: [Float]) throws(ModelError) {
        add(stage, layer: layer) { values, context in
            for row in 0..<context.rows {
                for i in 0..<context.width { values[row * context.width + i] = mode == .mean ? mean[i] : 0 }
            }
        }
    }
}

// MARK: - One run with interventions

extension TransformerModel {
    /// A new session that has run `ids` with `interventions` applied, and a cache of the stages in
    /// `recording` (recorded after the edits). Mean ablations first run `ids` unedited to take the
    /// means over the prompt's positions. The model is never copied; the edits live in the
    /// session's hooks, which stay set for later appends.
    public func run(
        _ ids: [Int], interventions: [Intervention], options: TraceOptions = .off,
        recording: [ActivationCache.Key] = [], shouldCancel: () -> Bool = { false }
    ) throws(ModelError) -> (session: InferenceSession, cache: ActivationCache) {
        for intervention in interventions { try intervention.validate(configuration) }
        var means: ActivationCache?
        let meanKeys = Set(interventions.compactMap { i in i.meanStage.map { ActivationCache.Key($0, layer: i.layer) } })
        if !meanKeys.isEmpty {
            let cache = ActivationCache()
            var hooks = ForwardHooks()
            for key in meanKeys { cache.record(key.stage, layer: key.layer, into: &hooks) }
            let clean = InferenceSession(model: self, options: .off)
            clean.hooks = hooks
            try clean.append(ids, shouldCancel: shouldCancel)
            means = cache
        }
        var hooks = try ForwardHooks(interventions, configuration: configuration, means: means)
        let cache = ActivationCache()
        for key in recording { cache.record(key.stage, layer: key.layer, into: &hooks) }
        let session = InferenceSession(model: self, options: options)
        session.hooks = hooks
        try session.append(ids, shouldCancel: shouldCancel)
        return (session, cache)
    }
}
