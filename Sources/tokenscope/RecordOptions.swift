import ArgumentParser
import TokenscopeTerminal

// MARK: - Recording a session

/// `--record FILE.cast` and `--record-keys FILE`: both files are opened before the terminal is
/// taken over, so a path that cannot be written ends the command with a clear error at once.
struct RecordOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Record everything drawn as an asciicast v2 file (asciinema play FILE).", valueName: "file.cast"))
    var record: String?
    @Option(name: .customLong("record-keys"), help: ArgumentHelp("Write the keys pressed to FILE; `render --keys @FILE` reproduces the final screen.", valueName: "file"))
    var recordKeys: String?

    /// Opens the recordings for a `width` × `height` screen.
    func open(width: Int, height: Int) throws -> (CastRecorder?, KeyRecorder?) {
        do {
            let cast = try record.map { path throws(RecordingError) in try CastRecorder(path: path, width: width, height: height) }
            let keys = try recordKeys.map { path throws(RecordingError) in try KeyRecorder(path: path) }
            return (cast, keys)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Checks that the files can be written (creating them), before anything else starts.
    func check() throws {
        _ = try open(width: 80, height: 24)
    }
}
