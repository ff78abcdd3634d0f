import Foundation
import Testing

// MARK: - What the headless commands are given

/// `render --keys` names a misspelled key and parses in linear time; `render` finds MiniLM in the
/// cache; `--file` reads pipes, process substitutions and `/dev/null`; TEXT with `--file` is an
/// error; bytes the vocabulary cannot spell are named, not dropped silently; `generate` says when
/// it stops at the context limit; `neighbors` and `analogy` look words up as the explorer does.
@Suite("Headless input", .enabled(if: CachedModel.isReady, "needs the built binary and the cached model (tokenscope fetch)"))
struct HeadlessInputTests {
    @Test func aMisspelledKeyNameIsAnErrorNamingIt() throws {
        let run = try CachedModel.run(["render", "--keys", "2<Spcae>", "Hi"], seconds: 60)
        #expect(run.status == 64, "status \(run.status)")
        #expect(run.stderr.contains("<Spcae> is not a key name"), "\(run.stderr)")
        // A '<' that does not start a name is typed as it is.
        let typed = try CachedModel.run(["render", "--keys", "e<BS><BS><BS><BS><BS><BS>a < b<Enter>", "Hi"], seconds: 60)
        #expect(typed.status == 0, "\(typed.stderr)")
    }

    @Test func keyScriptsParseInLinearTime() throws {
        // CPU time (user + system, from the shell's `time`), so a busy machine does not fail it;
        // quadratic parsing took 20 s here.
        let command = #"TIMEFORMAT='%U %S'; { time "$TS" render --size 80x24 --keys "$(printf '<%.0s' $(seq 40000))" Hi >/dev/null; } 2>&1 | tail -1"#
        let run = try CachedModel.shell(command, seconds: 120)
        let parts = run.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        try #require(parts.count == 2, "no CPU times in: \(run.stdout) \(run.stderr)")
        #expect(parts[0] + parts[1] < 8, "40 000 '<' took \(parts[0]) s user + \(parts[1]) s system")
    }

    @Test func renderComparesWithMiniLMWhenItIsInTheCache() throws {
        let miniLM = CachedModel.cache + "/all-MiniLM-L6-v2/tokenizer.json"
        try #require(FileManager.default.fileExists(atPath: miniLM), "MiniLM is not in the cache")
        let run = try CachedModel.run(["render", "--view", "tokens", "The capital of France is"], seconds: 60)
        #expect(run.status == 0)
        #expect(!run.stdout.contains("MiniLM is not in the model cache"), "\(run.stdout)")
        #expect(run.stdout.contains("MiniLM WordPiece"), "\(run.stdout)")
    }

    @Test func theKeptCountDoesNotDependOnTheWindowSize() throws {
        // Temperature 1.8: a flat distribution whose top-p cut lies beyond the rows that fit at 80×24.
        var summaries: [String] = []
        for size in ["80x24", "120x40", "200x60"] {
            let run = try CachedModel.run(["render", "--view", "sampling", "--size", size, "--keys", "TTTTTTTTTT", "The"], seconds: 60)
            #expect(run.status == 0)
            let line = try #require(run.stdout.split(separator: "\n").first { $0.contains("kept of") }, "\(run.stdout)")
            let summary = String(line[line.range(of: "kept of")!.lowerBound...]).trimmingCharacters(in: .whitespaces)
            #expect(!summary.contains("≥"), "\(size): \(summary)")
            summaries.append(String(summary.prefix { $0 != "…" && $0 != "│" }).trimmingCharacters(in: .whitespaces))
        }
        // Narrower screens cut the line short; what they show is the start of the widest one.
        let widest = try #require(summaries.last)
        for summary in summaries { #expect(widest.hasPrefix(summary), "\(summaries)") }
    }

    @Test func fileReadsPipesProcessSubstitutionAndDevNull() throws {
        let substituted = try CachedModel.shell("\"$TS\" tokenize --json --file <(printf 'Hello world')")
        #expect(substituted.status == 0, "\(substituted.stderr)")
        #expect(substituted.stdout.contains("\"count\": 2"), "\(substituted.stdout)")
        let empty = try CachedModel.run(["tokenize", "--json", "--file", "/dev/null"], seconds: 60)
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout.contains("\"count\": 0"), "\(empty.stdout)")
        let both = try CachedModel.run(["tokenize", "Hello", "--file", "/dev/null"], seconds: 60)
        #expect(both.status == 64, "TEXT with --file: status \(both.status)")
        #expect(both.stderr.contains("not both"), "\(both.stderr)")
    }

    @Test func bytesWithNoTokenAreNamed() throws {
        let run = try CachedModel.shell("printf '\\xff\\xfe\\xc0' | \"$TS\" tokenize --file -")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("0 tokens, 3 bytes"), "\(run.stdout)")
        #expect(run.stderr.contains("3 bytes dropped") && run.stderr.contains("0xC0") && run.stderr.contains("0xFE") && run.stderr.contains("0xFF"),
                "\(run.stderr)")
        let fine = try CachedModel.run(["tokenize", "café"], seconds: 60)
        #expect(!fine.stderr.contains("dropped"))
    }

    @Test func neighborsAndAnalogyLookWordsUpAsInRunningText() throws {
        let neighbors = try CachedModel.run(["neighbors", "king", "--k", "5"], seconds: 60)
        #expect(neighbors.status == 0, "\(neighbors.stderr)")
        #expect(neighbors.stderr.contains("'king' looked up as '␣king'"), "\(neighbors.stderr)")
        let lines = neighbors.stdout.split(separator: "\n")
        #expect(lines.first?.contains("cosine") == true && lines.first?.contains("token") == true, "\(neighbors.stdout)")
        let analogy = try CachedModel.run(["analogy", "king", "man", "woman", "-k", "5", "--json"], seconds: 60)
        let results = try #require(JSONSerialization.jsonObject(with: Data(analogy.stdout.utf8)) as? [[String: Any]])
        #expect(results.contains { $0["text"] as? String == " queen" }, "\(analogy.stdout)")
        let asTyped = try CachedModel.run(["neighbors", "king", "--as-typed", "--k", "3"], seconds: 60)
        #expect(!asTyped.stderr.contains("looked up as"), "\(asTyped.stderr)")
        let predict = try CachedModel.run(["predict", "The capital of France is", "--top", "3"], seconds: 60)
        #expect(predict.stdout.split(separator: "\n").dropFirst().first?.contains("prob") == true, "\(predict.stdout)")
    }
}
