import Foundation

// MARK: - Process figures from /proc

/// Process start time and peak memory, read from Linux's /proc (nil elsewhere).
enum ProcessClock {
    /// Milliseconds since this process started, from /proc/self/stat's start time and /proc/uptime.
    static func millisecondsSinceProcessStart() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name; start time is field 22 overall, the 20th after ")".
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]),
            let uptime = uptimeText.split(separator: " ").first.flatMap({ Double($0) })
        else { return nil }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard hertz > 0 else { return nil }
        return (uptime - ticks / hertz) * 1000
    }

    /// Peak resident set size in megabytes (VmHWM).
    static func peakResidentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let number = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return number.map { $0 / 1024 }
        }
        return nil
    }

    /// Resets the peak resident set size to the current one (Linux's clear_refs "5"), so the next
    /// `peakResidentMegabytes` is the peak of what ran since; false where the kernel does not allow it.
    @discardableResult
    static func resetPeakResident() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Seconds of CPU time this process has used so far, every thread counted (user + system).
    static func cpuSeconds() -> Double {
        var spec = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec) == 0 else { return 0 }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
