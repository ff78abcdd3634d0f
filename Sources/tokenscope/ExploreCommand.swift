import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeTerminal
import TokenscopeUI

/// `tokenscope [--model P] [options] [PROMPT]`: the interactive explorer (the default command).
struct ExploreCommand: ParsableCommand {
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
    @Flag(name: .long, help: "Show the first-run welcome again.") var welcome = false
    @Argument(help: "The prompt to start from.") var prompt: String?

    func run() throws {
        var startPrompt = prompt ?? defaultPrompt
        var actions: [Action] = []
        if resume {
            guard prompt == nil else { throw CommandFailure("--resume reopens the last session's prompt: give no PROMPT with it") }
            let session = try SavedSession.load()
            startPrompt = session.prompt
            actions = session.setup.actions
        }
        actions += try launch.actions()
        // The first-run welcome greets someone who opens the explorer bare; a prompt, a resumed
        // session or a prepared state means they know where they are going.
        try start.run(prompt: startPrompt, actions: actions, presenter: nil, showWelcome: welcome,
                      offerWelcome: prompt == nil && !resume && actions.isEmpty)
    }

    /// Runs the explorer in `lesson` at `step` (for `tokenscope learn NAME`).
    func runExplorer(lesson: Lesson?, step: Int) throws {
        try start.run(prompt: prompt ?? defaultPrompt, actions: [], presenter: nil, lesson: lesson, step: step, showWelcome: welcome)
    }

    private var start: ExplorerStart {
        ExplorerStart(modelOptions: modelOptions, compareOptions: compareOptions, recordOptions: recordOptions,
                      noColor: noColor, theme: theme, keepPalette: keepPalette)
    }
}

/// What the interactive commands share: checks, model, terminal, recordings, lessons, then the loop.
struct ExplorerStart {
    let modelOptions: ModelOptions
    let compareOptions: CompareOptions
    let recordOptions: RecordOptions
    let noColor: Bool
    let theme: Theme.Name
    let keepPalette: Bool

    /// Runs the explorer on `prompt` (or in `lesson` at `step`), then feeds it `actions` (each once
    /// the model is idle); the first-run welcome shows once, or again with `showWelcome`.
    func run(prompt: String, actions: [Action], presenter: PresenterSession?, lesson: Lesson? = nil, step: Int = 0,
             showWelcome: Bool = false, offerWelcome: Bool = false) throws {
        guard CursesTerminal.hasTerminal else {
            throw CommandFailure(
                "the explorer needs a terminal (stdin and stdout are not TTYs); headless commands: "
                    + "render, tokenize, predict, generate, neighbors, analogy, attention, inspect, bench")
        }
        // Recording files are checked before the model loads and the terminal is taken over.
        try recordOptions.check()
        let engine = try loadExplorerEngine(modelOptions, compareOptions)
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(noColor: noColor, themeName: theme, keepPalette: keepPalette)
        } catch {
            throw CommandFailure(error.description)
        }
        defer { terminal.close() }
        let size = terminal.size
        let (cast, keys) = try recordOptions.open(width: size.width, height: size.height)
        let runtime = ExplorerRuntime(engine: engine, prompt: lesson?.steps.first?.setup.prompt ?? prompt,
                                      width: size.width, height: size.height, synchronous: false)
        enableModelSwitching(runtime, engine: engine)
        // Lessons run on the decoder; an encoder opens without them.
        var problem: String?
        if let live = engine as? LiveExplorerEngine {
            let (catalogue, found) = teachingCatalogue(engine: live, extra: lesson)
            runtime.send(.teaching(catalogue))
            problem = found
        }
        var progress = LearnerProgress.load()
        if showWelcome || (offerWelcome && !progress.welcomed && lesson == nil && presenter == nil) {
            runtime.send(.teaching(.welcome))
            progress.welcomed = true
            progress.save()
        }
        if let lesson { runtime.send(.teaching(.open(lesson, step: step))) }
        if let problem, lesson == nil { runtime.send(.failed("lessons: " + problem)) }
        var recorder = ProgressRecorder()
        var loop = ExplorerLoop(runtime: runtime, terminal: terminal, cast: cast, keys: keys, presenter: presenter)
        loop.observe = { recorder.record($0) }
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
