import Foundation

// MARK: - Timing a whole process as a user meets it

/// Times this program run anew as a child process, from just before it is spawned to the first byte
/// it writes on stdout: the time to first token a person at a shell sees, with the program's
/// loading, its runtime's start-up and the model's load in it (in-process clocks miss the part
/// before `main`, and `/proc`'s start time counts only whole clock ticks).
enum ChildTimer {
    /// Milliseconds from spawning this executable with `arguments` to its first byte on stdout, or
    /// nil when it could not be spawned or wrote nothing (its stderr is discarded, its exit awaited).
    static func millisecondsToFirstOutput(arguments: [String]) -> Double? {
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let executable = "/proc/self/exe"
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { return nil }
        var byte: UInt8 = 0
        let got = read(pipe[0], &byte, 1)
        let elapsed = ContinuousClock.now - start
        // Drain the rest so the child never blocks on a full pipe, then reap it.
        var sink = [UInt8](repeating: 0, count: 4096)
        while read(pipe[0], &sink, sink.count) > 0 {}
        var status: Int32 = 0
        waitpid(child, &status, 0)
        guard got == 1 else { return nil }
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}
