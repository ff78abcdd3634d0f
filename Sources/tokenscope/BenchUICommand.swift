import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeUI

/// `tokenscope bench ui`: time to render and diff a full frame of every view.
struct BenchUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Time to render and diff a full frame of each view (target: under 5 ms at 200x60).",
        discussion: """
            Opens the explorer headless on the real model at --size, runs the prompt and the analysis
            once, then renders each view --repeats times. "render" is Renderer.render (the whole
            screen into a new Canvas); "diff" is Canvas.changes(since:) against the previous frame of
            another view (most cells differ, the worst case a key press causes). Model work is not
            timed: it happens before, as in the app. Figures are the median and the slowest run.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "Frame size.") var size: String = "200x60"
    @Option(name: .long, help: "Frames per view.") var repeats: Int = 200
    @Argument(help: "The prompt.") var prompt: String?

    func validate() throws {
        _ = try parseSize(size)
        guard repeats > 0, repeats <= 100_000 else { throw ValidationError("--repeats must be in 1...100000") }
    }

    func run() throws {
        let (width, height) = try parseSize(size)
        let model = try loadExplorerModel(modelOptions)
        let runtime = ExplorerRuntime(
            engine: LiveExplorerEngine(model: model), prompt: prompt ?? defaultPrompt, width: width, height: height, synchronous: true)
        let theme = Theme.dark
        // The states of every view, with its analysis in place.
        var states: [(ViewKind, AppState)] = []
        for (index, view) in ViewKind.allCases.enumerated() where index < 9 {
            runtime.send(.key(.character(Character(String(index + 1)))))
            states.append((view, runtime.state))
        }
        print("Rendering \(width)×\(height) frames, \(repeats) per view (\(model.name)):")
        print("view          render median  max      diff median  max      changed cells")
        var previous = Renderer.render(states[states.count - 1].1, theme: theme)
        var worst = 0.0
        for (view, state) in states {
            var renders: [Double] = [], diffs: [Double] = []
            var changed = 0
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                let canvas = Renderer.render(state, theme: theme)
                let rendered = DispatchTime.now().uptimeNanoseconds
                let changes = canvas.changes(since: previous)
                let diffed = DispatchTime.now().uptimeNanoseconds
                renders.append(Double(rendered - start) / 1e6)
                diffs.append(Double(diffed - rendered) / 1e6)
                changed = changes.count
            }
            previous = Renderer.render(state, theme: theme)
            renders.sort()
            diffs.sort()
            let total = renders[renders.count / 2] + diffs[diffs.count / 2]
            worst = max(worst, total)
            print(
                view.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
                    + String(format: "%8.3f ms %7.3f ms  %8.3f ms %7.3f ms  %6d", renders[renders.count / 2], renders[renders.count - 1],
                             diffs[diffs.count / 2], diffs[diffs.count - 1], changed))
        }
        print(String(format: "slowest view: %.3f ms per frame (render + diff, medians); target < 5 ms", worst))
    }
}
