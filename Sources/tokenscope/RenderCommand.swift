import ArgumentParser

/// `tokenscope render`: Render the explorer headless and print the screen.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Render the explorer headless and print the screen.")

    func run() async throws {
        throw ValidationError("'render' is not built yet")
    }
}
