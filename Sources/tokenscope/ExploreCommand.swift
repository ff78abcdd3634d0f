import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeTerminal
import TokenscopeUI

/// `tokenscope [--model P] [PROMPT]`: the interactive explorer (the default command).
struct ExploreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore", abstract: "Open the interactive explorer (the default).")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var compareOptions: CompareOptions
    @Flag(name: .long, help: "No colours (also NO_COLOR or TERM=dumb).") var noColor = false
    @Option(name: .long, help: "Theme: dark, light (projectors) or colorblind.") var theme: Theme.Name = .dark
    @Flag(name: .long, help: "Never redefine the terminal's palette for exact colours (also TOKENSCOPE_KEEP_PALETTE=1).")
    var keepPalette = false
    @Argument(help: "The prompt to start from.") var prompt: String?

    func run() async throws {
        guard CursesTerminal.hasTerminal else {
            throw CommandFailure(
                "the explorer needs a terminal (stdin and stdout are not TTYs); headless commands: "
                    + "render, tokenize, predict, generate, neighbors, analogy, attention, inspect, bench")
        }
        let model = try loadExplorerModel(modelOptions)
        let engine = LlamaExplorerEngine(model: model)
        engine.comparisonTokenizers = try compareOptions.tokenizers()
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(noColor: noColor, themeName: theme, keepPalette: keepPalette)
        } catch {
            throw CommandFailure(error.description)
        }
        defer { terminal.close() }
        let size = terminal.size
        let runtime = ExplorerRuntime(engine: engine, prompt: prompt ?? defaultPrompt, width: size.width, height: size.height, synchronous: false)
        var dirty = true
        var frame: Canvas?
        while !runtime.state.quitting && CursesTerminal.interrupted == 0 {
            if runtime.drainInbox() { dirty = true }
            if dirty {
                let canvas = Renderer.render(runtime.state, theme: terminal.theme)
                terminal.draw(canvas)
                frame = canvas
                dirty = false
            }
            for action in terminal.read(timeout: 30) {
                runtime.send(action, frame: frame)
                dirty = true
            }
        }
    }
}
