import Foundation

// MARK: - Running a program to completion

/// What a finished program left: its exit status (128 + the signal when a signal ended it), its
/// standard output and its standard error.
public struct ProcessOutput: Sendable {
    /// Exit status, or 128 + the signal number.
    public let status: Int32
    /// Standard output as bytes.
    public let output: Data
    /// Standard error as text.
    public let stderr: String

    /// Standard output as text.
    public var stdout: String { String(decoding: output, as: UTF8.self) }
}

/// A program that could not be started or waited for.
public struct ProcessRunError: Error, CustomStringConvertible {
    public let description: String
}

/// The one way tests run a program: spawned with `posix_spawn` and reaped with `waitpid`, output
/// through temporary files so neither stream can fill a pipe and stall the other.
///
/// Not Foundation's `Process`: `tmux new-session` forks a server that inherits the client's
/// descriptors, and `Process` (which watches descriptors for the exit) then waits for the server,
/// not the client.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`; stdin is `stdin` (or /dev/null), the environment
    /// `environment` (or this process's).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: Data? = nil) throws -> ProcessOutput {
        let directory = FileManager.default.temporaryDirectory
        let outPath = directory.appendingPathComponent("tokenscope-out-\(UUID().uuidString)").path
        let errPath = directory.appendingPathComponent("tokenscope-err-\(UUID().uuidString)").path
        let inPath = directory.appendingPathComponent("tokenscope-in-\(UUID().uuidString)").path
        defer {
            for path in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        if let stdin {
            guard FileManager.default.createFile(atPath: inPath, contents: stdin) else {
                throw ProcessRunError(description: "cannot write the standard input of \(executable) to \(inPath)")
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin == nil ? "/dev/null" : inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else is inherited: a tmux server outlives its client, and holding the write end of
        // another test's pipe would keep that test waiting for an end of file that never comes.
        // (glibc ignores closing a descriptor that is not open; the margin covers ones opened meanwhile.)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for descriptor in 3...((open.max() ?? 255) + 64) {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in variables { free(pointer) } }
        var pid: pid_t = 0
        // A clean signal state: test threads block most signals, and a tmux server (and the shells in
        // its panes) that inherited that mask would ignore kill-server's hang-ups and outlive the test.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, variables)
        guard spawned == 0 else { throw ProcessRunError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw ProcessRunError(description: "waiting for \(executable) failed: \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
        let code: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let output = FileManager.default.contents(atPath: outPath) ?? Data()
        let errors = FileManager.default.contents(atPath: errPath) ?? Data()
        return ProcessOutput(status: code, output: output, stderr: String(decoding: errors, as: UTF8.self))
    }
}

// MARK: - The built binary as a process

extension TokenscopeBinary {
    /// Runs the built binary with `arguments`, this process's environment with `environment` laid
    /// over it, and `stdin` (or /dev/null); throws when the binary is not built.
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws -> ProcessOutput {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try ProcessRunner.run(try require(), arguments, environment: merged, stdin: stdin)
    }
}
