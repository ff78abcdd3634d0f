import ArgumentParser
import Foundation
import TokenscopeExplorer

/// `tokenscope render`: the explorer without a terminal, after a key sequence, printed as text.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render the explorer headless and print the screen.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var compareOptions: CompareOptions
    @Option(name: .long, help: "tokens, sampling, attention, embeddings or forward.") var view: String = "tokens"
    @Option(name: .long, help: "Screen size, e.g. 120x40.") var size: String = "120x40"
    @Option(name: .long, help: "Keys to press first, e.g. \"  <right>t\" (names: <up> <down> <left> <right> <enter> <esc> <tab> <bs> <space>).")
    var keys: String = ""
    @Flag(name: .long, help: "Keep colours as ANSI escape codes.") var ansi = false
    @Flag(name: .long, help: "No colours: the monochrome theme.") var noColor = false
    @Argument(help: "The prompt.") var prompt: String?

    func run() async throws {
        guard let kind = ViewKind(rawValue: view) else {
            throw CommandFailure("unknown view '\(view)'; use one of: \(ViewKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let (width, height) = try parseSize(size)
        let model = try loadExplorerModel(modelOptions)
        let engine = LlamaExplorerEngine(model: model)
        engine.comparisonTokenizers = try compareOptions.tokenizers()
        let runtime = ExplorerRuntime(
            engine: engine, prompt: prompt ?? defaultPrompt, width: width, height: height, synchronous: true)
        runtime.send(.key(.character(Character(String(ViewKind.allCases.firstIndex(of: kind).map { $0 + 1 } ?? 1)))))
        for key in Key.parse(keys) { runtime.send(.key(key)) }
        let canvas = Renderer.render(runtime.state, theme: noColor ? .monochrome : .dark)
        print(ansi ? canvas.ansiText : canvas.plainText)
    }
}
