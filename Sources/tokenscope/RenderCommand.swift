import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeUI

/// `tokenscope render`: the explorer without a terminal, after a key sequence, printed as text.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the explorer headless and print the screen.",
        discussion: """
            Runs the same app as the interactive explorer (same reducer, model work run inline), presses
            the --keys, and prints the final screen as plain text, or with ANSI colours (--ansi).

            Key syntax for --keys: plain characters are typed as they are; special keys go in angle
            brackets, case-insensitive: <Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <Enter>
            <Esc> <Tab> <S-Tab> <BS> <Del> <Space>, <C-w> for Ctrl-W, <lt> for a literal '<'.
            Example: --keys "2<Down><Down><Enter>" opens the sampling view and forces the third candidate.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "The view: \(ViewKind.allCases.map(\.rawValue).joined(separator: ", ")).") var view: String = "tokens"
    @Option(name: .long, help: "Screen size, e.g. 120x40.") var size: String = "120x40"
    @Option(name: .long, help: "Keys to press after opening the view (see the key syntax above).") var keys: String = ""
    @Flag(name: .long, help: "Keep colours as ANSI escape codes.") var ansi = false
    @Option(name: .long, help: "Theme: dark, light or colorblind.") var theme: Theme.Name = .dark
    @Option(name: .long, help: "Colours for --ansi: truecolor, 256, 16, 8 or none.") var colors: ColorDepth = .indexed256
    @Flag(name: .long, help: "No colours: the monochrome theme (same as --colors none).") var noColor = false
    @Argument(help: "The prompt.") var prompt: String?

    func run() async throws {
        guard let kind = ViewKind(rawValue: view) else {
            throw CommandFailure("unknown view '\(view)'; use one of: \(ViewKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let (width, height) = try parseSize(size)
        let model = try loadExplorerModel(modelOptions)
        let runtime = ExplorerRuntime(
            engine: LlamaExplorerEngine(model: model), prompt: prompt ?? defaultPrompt, width: width, height: height, synchronous: true)
        if let index = ViewKind.allCases.firstIndex(of: kind), index < 9 {
            runtime.send(.key(.character(Character(String(index + 1)))))
        }
        for key in Key.parse(keys) { runtime.send(.key(key)) }
        let canvas = Renderer.render(runtime.state, theme: Theme(theme, depth: noColor ? .monochrome : colors))
        print(ansi ? canvas.ansiText : canvas.plainText)
    }
}
