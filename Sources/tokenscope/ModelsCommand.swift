import ArgumentParser
import Foundation
import TokenscopeFormats
import TokenscopeTransformer

/// `tokenscope models`: the models in the cache (and `--model`, if given) with their architecture,
/// file, size, and whether Tokenscope runs them or only inspects them.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List the cached models: architecture, file, size, and whether they run or only open for inspect.")

    @Option(name: .long, help: "Also list this .gguf file or HF folder.") var model: String?
    @Flag(name: .long, help: "Print JSON: [{\"name\", \"path\", \"format\", \"architecture\", \"bytes\", \"use\", \"reason\"}].") var json = false

    func run() throws {
        let entries = Self.entries(extra: model)
        if json { try printJSON(entries); return }
        if entries.isEmpty {
            print("no models in \(ModelLocator.cacheDirectory()) (run `tokenscope fetch`)")
            return
        }
        let nameWidth = min(40, entries.map(\.name.count).max() ?? 4)
        let archWidth = max(12, entries.map(\.architecture.count).max() ?? 4)
        print("name".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
            + "architecture".padding(toLength: archWidth, withPad: " ", startingAt: 0) + "      size  use      file")
        for e in entries {
            let use = e.use.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            print(String(e.name.prefix(nameWidth)).padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + e.architecture.padding(toLength: archWidth, withPad: " ", startingAt: 0) + "  "
                + String(format: "%8.1f MB", Double(e.bytes) / 1e6) + "  \(use)  \(e.path)")
            if let reason = e.reason { print("".padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0) + "↳ " + reason) }
        }
        print("\(entries.filter { $0.use != .inspect }.count) of \(entries.count) open in the explorer; inspect-only ones open with `tokenscope inspect` and `tokenscope tokenize`")
    }

    /// The cache's models, then `extra` (a `--model` path) when it is not among them.
    static func entries(extra: String?) -> [CatalogEntry] {
        ModelCatalog.entries(in: ModelLocator.cacheDirectory(), extra: extra.map { [$0] } ?? [])
    }
}
