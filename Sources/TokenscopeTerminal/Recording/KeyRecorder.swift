import TokenscopeUI

// MARK: - Recording the keys

/// Writes the input of a session as an input script (`InputScript`), so `render --keys @FILE`
/// replays it to the same final screen. Input that changed nothing (a key pressed while the model
/// was busy and so ignored) is left out: replayed headless, where the model is never busy, it
/// would act.
public final class KeyRecorder {
    private let file: RecordingFile
    private var wroteAny = false

    /// Creates (or truncates) `path`.
    public init(path: String) throws(RecordingError) {
        file = try RecordingFile(path: path)
    }

    /// Records `event` if it changed the state.
    public func record(_ event: InputEvent, changedState: Bool) {
        guard changedState else { return }
        file.write(InputScript.spell(event))
        wroteAny = true
    }

    /// Ends the recording with a line break (which `--keys @FILE` does not count as a key).
    public func close() {
        if wroteAny { file.write("\n") }
        wroteAny = false
        file.close()
    }
}
