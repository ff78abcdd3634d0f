import ArgumentParser

/// `tokenscope inspect`: Show a model file's architecture, tokenizer and tensors.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show a model file's architecture, tokenizer and tensors.")

    func run() async throws {
        throw ValidationError("'inspect' is not built yet")
    }
}
