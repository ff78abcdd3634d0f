import Dispatch
import Foundation
import Synchronization

// MARK: - Ctrl-C during long model work

/// Turns SIGINT (Ctrl-C) into a flag that long work polls between runs, so a command can stop
/// cleanly, say how far it got and exit with 130 (128 + SIGINT) as shells expect, instead of being
/// killed mid-write. The default handler is restored when the watch is stopped.
final class InterruptWatch {
    /// Set from the signal source's queue, read by the work between runs.
    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let interrupted = Flag()
    private let source: any DispatchSourceSignal

    /// Starts watching: SIGINT no longer kills the process, it sets the flag.
    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [interrupted] in interrupted.value.store(true, ordering: .relaxed) }
        source.resume()
    }

    /// Whether Ctrl-C was pressed since the watch started.
    var isInterrupted: Bool { interrupted.value.load(ordering: .relaxed) }

    /// Stops watching and gives SIGINT its default action back.
    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }

    /// The exit status of a command stopped by SIGINT.
    static let exitStatus: Int32 = 130
}
