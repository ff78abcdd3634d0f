import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeUI

/// `tokenscope render`: the explorer without a terminal, after a key sequence, printed as text.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the explorer headless and print the screen.",
        discussion: """
            Runs the same app as the interactive explorer (same reducer, model work run inline), presses
            the --keys, and prints the final screen as plain text, or with ANSI colours (--ansi).

            Key syntax for --keys: plain characters are typed as they are; special keys go in angle
            brackets, case-insensitive: <Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <Enter>
            <Esc> <Tab> <S-Tab> <BS> <Del> <Space>, <C-w> for Ctrl-W, <lt> for a literal '<'.
            <click X Y> clicks column X of row Y (from 0), <wheel up>/<wheel down>, <resize 80x24>, and
            <paste>TEXT</paste> pastes TEXT. --keys @FILE reads the keys from FILE (what --record-keys wrote).
            Example: --keys "2<Down><Down><Enter>" opens the sampling view and forces the third candidate;
            --view sampling --token 3 --temperature 1.5 opens the sampling view after the third token.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var compareOptions: CompareOptions
    @Option(name: .long, help: "Screen size, e.g. 120x40.") var size: String = "120x40"
    @OptionGroup var launch: LaunchOptions
    @Flag(name: .long, help: "Keep colours as ANSI escape codes (same as --format ansi).") var ansi = false
    @Option(name: .long, help: "Output: text, ansi, svg (a picture for slides) or html; several, comma-separated, with --output.")
    var format: String = "text"
    @Option(name: .long, help: ArgumentHelp("Write the screen to BASE.txt, BASE.ans, BASE.svg, BASE.html (the --format ones) instead of printing it.", valueName: "base"))
    var output: String?
    @Option(name: .long, help: "Theme: dark, light, projector, high-contrast or colorblind.") var theme: Theme.Name = .dark
    @Option(name: .long, help: "Colours for --ansi: truecolor, 256, 16, 8 or none.") var colors: ColorDepth = .indexed256
    @Flag(name: .long, help: "No colours: the monochrome theme (same as --colors none).") var noColor = false
    @Flag(name: .long, help: "Open the explain panel (as the y key does).") var explain = false
    @Option(name: .long, help: "A lesson (name, or a lesson file's path) to show a step of.") var lesson: String?
    @Option(name: .long, help: "The lesson step to show, from 1.") var step: Int = 1
    @Argument(help: "The prompt.") var prompt: String?

    func run() throws {
        let formats = try format.split(separator: ",").map { name in
            guard let format = ExportFormat(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw CommandFailure("unknown format '\(name)'; use text, ansi, svg or html")
            }
            return format
        }
        guard !formats.isEmpty else { throw CommandFailure("--format needs a format: text, ansi, svg or html") }
        guard formats.count == 1 || output != nil else { throw CommandFailure("several formats need --output BASE (one file each)") }
        let actions = try launch.actions()
        let (width, height) = try parseSize(size)
        let chosen = try lesson.map { try findLesson(name: $0.hasSuffix(".md") ? nil : $0, path: $0.hasSuffix(".md") ? $0 : nil) } ?? nil
        if let chosen, !(1...chosen.steps.count).contains(step) {
            throw CommandFailure("--step must be from 1 to \(chosen.steps.count) for the lesson '\(chosen.name)'")
        }
        let engine = try loadExplorerEngine(modelOptions, compareOptions)
        let runtime = ExplorerRuntime(
            engine: engine, prompt: chosen?.steps.first?.setup.prompt ?? prompt ?? defaultPrompt, width: width, height: height, synchronous: true)
        enableModelSwitching(runtime, engine: engine)
        if let live = engine as? LiveExplorerEngine { runtime.send(.teaching(teachingCatalogue(engine: live, extra: chosen).0)) }
        if let chosen { runtime.send(.teaching(.open(chosen, step: step - 1))) }
        let chosenTheme = Theme(theme, depth: noColor ? .monochrome : colors)
        var input = ScriptedInput()
        input.append(actions)
        input.pump(runtime, theme: chosenTheme)
        if explain && !runtime.state.teaching.explainOpen { runtime.send(.key(.character("y"))) }
        let canvas = Renderer.render(runtime.state, theme: chosenTheme)
        guard let output else {
            let text = (ansi ? ExportFormat.ansi : formats[0]).export(canvas, theme: chosenTheme)
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        for format in formats {
            let path = output + "." + format.fileExtension
            do {
                try format.export(canvas, theme: chosenTheme).write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure("cannot write \(path): \((error as NSError).localizedDescription)")
            }
        }
    }
}
