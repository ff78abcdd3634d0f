import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeUI

/// `tokenscope present SCRIPT`: plays a teacher's demo script step by step (Docs/PRESENTING.md).
struct PresentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "present",
        abstract: "Play a demo script: Space/→/PgDn next step, PgUp/← back, N notes, q quit.",
        discussion: """
            A demo script is a plain text file of steps; each step sets up the explorer (prompt, view,
            token, layer, head, sampler settings), presses keys and carries speaker notes. Going back
            replays the script from the start, so every revisit shows the same screen. See
            Docs/PRESENTING.md and Assets/Demos/.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var compareOptions: CompareOptions
    @OptionGroup var recordOptions: RecordOptions
    @Option(name: .long, help: ArgumentHelp("Write the current step's notes to FILE as the demo advances (a file, or another terminal's tty).", valueName: "file"))
    var notes: String?
    @Flag(name: .long, help: "No colours (also NO_COLOR or TERM=dumb).") var noColor = false
    @Option(name: .long, help: "Theme: dark, light, projector, high-contrast or colorblind (default: the script's, else projector).")
    var theme: Theme.Name?
    @Flag(name: .long, help: "Never redefine the terminal's palette for exact colours.") var keepPalette = false
    @Argument(help: "The demo script.") var script: String

    func run() throws {
        let demo: DemoScript
        do {
            demo = try DemoScript.load(path: script)
        } catch {
            throw CommandFailure(error.description)
        }
        var chosenTheme = theme ?? .projector
        if theme == nil, let name = demo.theme {
            guard let named = Theme.Name(rawValue: name) else {
                throw CommandFailure("\(script): unknown theme '\(name)'; themes: \(Theme.Name.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            chosenTheme = named
        }
        if let notes {
            do {
                try "".write(toFile: notes, atomically: false, encoding: .utf8)
            } catch {
                throw CommandFailure("--notes \(notes): cannot write the file")
            }
        }
        let presenter = PresenterSession(script: demo, defaultPrompt: defaultPrompt, notesPath: notes)
        presenter.writeNotes()
        let first = demo.steps[0].setup.prompt ?? defaultPrompt
        try ExplorerStart(modelOptions: modelOptions, compareOptions: compareOptions, recordOptions: recordOptions,
                          noColor: noColor, theme: chosenTheme, keepPalette: keepPalette)
            .run(prompt: first, actions: presenter.actionsForCurrentStep(), presenter: presenter)
    }
}
