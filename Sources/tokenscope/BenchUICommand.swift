import ArgumentParser

/// `tokenscope ui`: Time to render and diff a full frame.
struct BenchUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ui", abstract: "Time to render and diff a full frame.")

    func run() async throws {
        throw ValidationError("'ui' is not built yet")
    }
}
