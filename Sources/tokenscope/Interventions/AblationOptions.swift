import ArgumentParser
import TokenscopeTransformer

// MARK: - Ablation options

/// `--ablate L.H[,L.H…]`, `--ablate-mlp L[,L…]`, `--ablate-attention L[,L…]` and `--mean`: the
/// interventions of one headless run (layers and heads from 0, as everywhere).
struct AblationOptions: ParsableArguments {
    @Option(name: .long, help: "Heads to ablate, as LAYER.HEAD from 0, comma-separated (e.g. 19.7,3.2).")
    var ablate: String?
    @Option(name: .customLong("ablate-mlp"), help: "Feed-forward networks to ablate, layers from 0, comma-separated.")
    var ablateMLP: String?
    @Option(name: .customLong("ablate-attention"), help: "Whole attention layers to ablate, layers from 0, comma-separated.")
    var ablateAttention: String?
    @Flag(name: .long, help: "Mean-ablate (the component's mean over the prompt's positions) rather than zero it.")
    var mean = false

    /// The interventions, checked against the model: a malformed or out-of-range entry fails with
    /// the valid range.
    func interventions(for configuration: ModelConfiguration) throws -> [Intervention] {
        let mode: AblationMode = mean ? .mean : .zero
        var result: [Intervention] = []
        for item in Self.items(ablate) {
            let parts = item.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let layer = Int(parts[0]), let head = Int(parts[1]) else {
                throw CommandFailure("--ablate: '\(item)' is not LAYER.HEAD (e.g. 19.7; layers 0...\(configuration.blockCount - 1), heads 0...\(configuration.headCount - 1))")
            }
            result.append(.ablateHead(layer: layer, head: head, mode))
        }
        for (name, list, make) in [("--ablate-mlp", ablateMLP, { Intervention.ablateMLP(layer: $0, mode) }),
                                   ("--ablate-attention", ablateAttention, { Intervention.ablateAttention(layer: $0, mode) })] {
            for item in Self.items(list) {
                guard let layer = Int(item) else {
                    throw CommandFailure("\(name): '\(item)' is not a layer number (layers 0...\(configuration.blockCount - 1))")
                }
                result.append(make(layer))
            }
        }
        for intervention in result {
            do { try intervention.validate(configuration) } catch { throw CommandFailure(error.description) }
        }
        return result
    }

    static func items(_ list: String?) -> [String] {
        (list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Short names of the interventions ("L19.H7 zero", "MLP 3 mean").
    static func describe(_ interventions: [Intervention]) -> [String] {
        interventions.map { i in
            switch i {
            case .ablateHead(let l, let h, let m): "head \(l).\(h) \(m.rawValue)"
            case .scaleHead(let l, let h, let f): "head \(l).\(h) ×\(f)"
            case .ablateAttention(let l, let m): "attention \(l) \(m.rawValue)"
            case .ablateMLP(let l, let m): "mlp \(l) \(m.rawValue)"
            case .patch(let s, let l, _, _): "patch \(s.rawValue) \(l)"
            case .patchHead(let l, let h, _, _): "patch head \(l).\(h)"
            }
        }
    }
}
