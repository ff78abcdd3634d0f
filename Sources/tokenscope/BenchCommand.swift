import ArgumentParser

// MARK: - Benchmarks

/// `tokenscope bench`: speed figures for the model (default), the tokenizer and the UI.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed: the model (default), the tokenizer or the UI.",
        subcommands: [BenchModelCommand.self, BenchTokenizerCommand.self, BenchUICommand.self, BenchStepCommand.self, BenchSessionCommand.self, BenchEncoderCommand.self],
        defaultSubcommand: BenchModelCommand.self
    )
}
