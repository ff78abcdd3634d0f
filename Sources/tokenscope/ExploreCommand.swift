import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeTerminal
import TokenscopeUI

/// `tokenscope [--model P] [options] [PROMPT]`: the interactive explorer (the default command).
struct ExploreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore", abstract: "Open the interactive explorer (the default).")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var compareOptions: CompareOptions
    @OptionGroup var launch: LaunchOptions
    @OptionGroup var recordOptions: RecordOptions
    @Flag(name: .long, help: "No colours (also NO_COLOR or TERM=dumb).") var noColor = false
    @Option(name: .long, help: "Theme: dark, light, projector, high-contrast or colorblind.") var theme: Theme.Name = .dark
    @Flag(name: .long, help: "Never redefine the terminal's palette for exact colours (also TOKENSCOPE_KEEP_PALETTE=1).")
    var keepPalette = false
    @Flag(name: .long, help: "Reopen the last session (prompt, generated text, view, settings), saved when the explorer quits.")
    var resume = false
    @Argument(help: "The prompt to start from.") var prompt: String?

    func run() async throws {
        var startPrompt = prompt ?? defaultPrompt
        var actions: [Action] = []
        if resume {
            guard prompt == nil else { throw CommandFailure("--resume reopens the last session's prompt: give no PROMPT with it") }
            let session = try SavedSession.load()
            startPrompt = session.prompt
            actions = session.setup.actions
        }
        actions += try launch.actions()
        try ExplorerStart(modelOptions: modelOptions, compareOptions: compareOptions, recordOptions: recordOptions,
                          noColor: noColor, theme: theme, keepPalette: keepPalette)
            .run(prompt: startPrompt, actions: actions, presenter: nil)
    }
}

/// What the interactive commands share: checks, model, terminal, recordings, then the loop.
struct ExplorerStart {
    let modelOptions: ModelOptions
    let compareOptions: CompareOptions
    let recordOptions: RecordOptions
    let noColor: Bool
    let theme: Theme.Name
    let keepPalette: Bool

    /// Runs the explorer on `prompt`, then feeds it `actions` (each once the model is idle).
    func run(prompt: String, actions: [Action], presenter: PresenterSession?) throws {
        guard CursesTerminal.hasTerminal else {
            throw CommandFailure(
                "the explorer needs a terminal (stdin and stdout are not TTYs); headless commands: "
                    + "render, tokenize, predict, generate, neighbors, analogy, attention, inspect, bench")
        }
        // Recording files are checked before the model loads and the terminal is taken over.
        try recordOptions.check()
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
        let (cast, keys) = try recordOptions.open(width: size.width, height: size.height)
        let runtime = ExplorerRuntime(engine: engine, prompt: prompt, width: size.width, height: size.height, synchronous: false)
        var loop = ExplorerLoop(runtime: runtime, terminal: terminal, cast: cast, keys: keys, presenter: presenter)
        loop.input.append(actions)
        loop.run()
        let signal = CursesTerminal.interrupted
        if signal != 0 {
            // Stopped by a signal: give the terminal back, then exit as a shell expects (128 + signal).
            terminal.close()
            throw ExitCode(128 + signal)
        }
    }
}
