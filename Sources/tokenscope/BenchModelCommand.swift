import ArgumentParser

/// `tokenscope model`: Load time, time to first token, prefill and decode speed, peak memory.
struct BenchModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Load time, time to first token, prefill and decode speed, peak memory.")

    func run() async throws {
        throw ValidationError("'model' is not built yet")
    }
}
