// MARK: - A small backtracking regex engine for pre-tokenizer patterns

/// A compiled split pattern, matched with the semantics llama.cpp gives its pre-tokenizer regexes:
/// ECMAScript-style leftmost-first backtracking over Unicode scalars, where `\p{L}`, `\p{N}`,
/// `\p{P}`, `\p{S}`, `\p{M}` (and `\p{Lu}`…`\p{Lo}`, which llama.cpp treats as `\p{L}`) test a
/// scalar's general category, `\s` is Unicode white space, and `$` is the end of the chunk being
/// split. Supported syntax: literals, `.`, classes `[...]` / `[^...]` with ranges and escapes,
/// groups `(...)`, `(?:...)`, lookaheads `(?=...)`, `(?!...)`, alternation, `?`, `*`, `+`,
/// `{n}`, `{n,}`, `{n,m}` and the escapes `\s \S \d \D \w \W \r \n \t \p{..} \P{..} \xHH`.
///
/// Patterns are the project's own (the pre-tokenizer catalog), never user input; a pattern the
/// parser does not understand is an error, not a trap.
struct SplitRegex: Sendable {
    // MARK: Program

    /// One VM instruction.
    enum Instruction: Sendable {
        /// Consume one unit in class `classes[index]`.
        case unit(Int)
        /// Try `first`, and on failure `second`.
        case split(Int, Int)
        /// Continue at the target.
        case jump(Int)
        /// Run the sub-program at `start` here without consuming; continue when it matches
        /// (or, `negated`, when it does not).
        case lookahead(start: Int, negated: Bool)
        /// Succeed only at the end of the chunk.
        case endOfChunk
        /// The (sub-)program matched.
        case match
    }

    let program: [Instruction]
    let classes: [UnitClass]
    /// The ASCII units that can start a match, when that is known (no lookahead or empty match first).
    let firstASCII: ASCIISet?
    /// The pattern as written, for errors and descriptions.
    let pattern: String

    /// Compiles `pattern`; errors name the pattern and the position.
    init(_ pattern: String) throws(TokenizerError) {
        self.pattern = pattern
        var parser = Parser(scalars: Array(pattern.unicodeScalars), pattern: pattern)
        let tree = try parser.parseAll()
        var compiler = Compiler()
        compiler.emitMain(tree)
        self.program = compiler.program
        self.classes = compiler.classes.map { $0.withASCIITable() }
        self.firstASCII = Self.firstASCII(program, classes)
    }

    /// The union of the ASCII sets of the instructions a match can begin with, or nil.
    static func firstASCII(_ program: [Instruction], _ classes: [UnitClass]) -> ASCIISet? {
        var set = ASCIISet()
        var seen = Set<Int>()
        var pending = [0]
        while let pc = pending.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch program[pc] {
            case .unit(let index): set.formUnion(classes[index].withASCIITable().ascii)
            case .split(let a, let b): pending += [a, b]
            case .jump(let target): pending.append(target)
            case .lookahead, .endOfChunk, .match: return nil
            }
        }
        return set
    }

    // MARK: Matching

    /// The end of the match starting at unit `start` of `units[..<end]`, or nil.
    func match(_ units: UnsafeBufferPointer<PreTokenizer.Unit>, at start: Int, end: Int) -> Int? {
        var stack: [(pc: Int, position: Int)] = []
        return run(units, pc: 0, position: start, end: end, stack: &stack)
    }

    /// Runs the program from `startPC`; `stack` is scratch space (empty on entry and exit).
    private func run(
        _ units: UnsafeBufferPointer<PreTokenizer.Unit>, pc startPC: Int, position startPosition: Int, end: Int,
        stack: inout [(pc: Int, position: Int)]
    ) -> Int? {
        let base = stack.count
        stack.append((startPC, startPosition))
        defer { stack.removeSubrange(base...) }
        return program.withUnsafeBufferPointer { program in
            classes.withUnsafeBufferPointer { classes in
                while stack.count > base {
                    var (pc, position) = stack.removeLast()
                    thread: while true {
                        switch program[pc] {
                        case .unit(let index):
                            guard position < end, classes[index].contains(units[position]) else { break thread }
                            position += 1
                            pc += 1
                        case .split(let first, let second):
                            stack.append((second, position))
                            pc = first
                        case .jump(let target):
                            pc = target
                        case .lookahead(let start, let negated):
                            let found = run(units, pc: start, position: position, end: end, stack: &stack) != nil
                            guard found != negated else { break thread }
                            pc += 1
                        case .endOfChunk:
                            guard position == end else { break thread }
                            pc += 1
                        case .match:
                            return position
                        }
                    }
                }
                return nil
            }
        }
    }

    /// Splits `units[range]` llama.cpp's way: every match is a piece and so is every stretch of
    /// text between matches ("isolated"); empty matches are skipped.
    func split(_ units: UnsafeBufferPointer<PreTokenizer.Unit>, _ range: Range<Int>, into out: inout [Range<Int>]) {
        var gapStart = range.lowerBound
        var position = range.lowerBound
        let end = range.upperBound
        var stack: [(pc: Int, position: Int)] = []
        stack.reserveCapacity(64)
        while position < end {
            // An ASCII unit no first instruction accepts cannot start a match.
            if let first = firstASCII, units[position].value < 128, !first.contains(units[position].value) {
                position += 1
                continue
            }
            if let matchEnd = run(units, pc: 0, position: position, end: end, stack: &stack), matchEnd > position {
                if gapStart < position { out.append(gapStart..<position) }
                out.append(position..<matchEnd)
                position = matchEnd
                gapStart = matchEnd
            } else {
                position += 1
            }
        }
        if gapStart < end { out.append(gapStart..<end) }
    }
}

// MARK: - Character classes

/// A set of units: scalar ranges, general-category bits, `\s`/`\S`/`\d`, possibly negated.
struct UnitClass: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    /// Bits of `PreTokenizer.Detail` raw values.
    var details: UInt16 = 0
    var whitespace = false
    var notWhitespace = false
    var negated = false
    /// Membership of the 128 ASCII values, precomputed.
    var ascii = ASCIISet()

    /// The class with its ASCII table filled in.
    func withASCIITable() -> UnitClass {
        var copy = self
        copy.ascii = ASCIISet()
        for v in UInt32(0)..<128 {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let category = PreTokenizer.category(of: scalar)
            let unit = PreTokenizer.Unit(category: category, detail: PreTokenizer.detail(of: scalar, category), value: v, start: 0, end: 1)
            if slowContains(unit) { copy.ascii.insert(v) }
        }
        return copy
    }

    @inline(__always)
    func contains(_ unit: PreTokenizer.Unit) -> Bool {
        unit.value < 128 ? ascii.contains(unit.value) : slowContains(unit)
    }

    func slowContains(_ unit: PreTokenizer.Unit) -> Bool {
        var inside = details & (1 << UInt16(unit.detail.rawValue)) != 0
        if !inside && whitespace && unit.category == .whitespace { inside = true }
        if !inside && notWhitespace && unit.category != .whitespace { inside = true }
        if !inside {
            // llama.cpp matches non-ASCII white space as U+000B.
            let value = unit.category == .whitespace && unit.value >= 128 ? 0x0B : unit.value
            for range in ranges where range.contains(value) {
                inside = true
                break
            }
        }
        return inside != negated
    }

    static func single(_ value: UInt32) -> UnitClass { UnitClass(ranges: [value...value]) }
}

/// A set of ASCII values as two 64-bit masks.
struct ASCIISet: Sendable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    @inline(__always)
    func contains(_ v: UInt32) -> Bool { v < 64 ? low & (1 << UInt64(v)) != 0 : high & (1 << UInt64(v - 64)) != 0 }

    mutating func insert(_ v: UInt32) { if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) } }

    mutating func formUnion(_ other: ASCIISet) {
        low |= other.low
        high |= other.high
    }
}

// MARK: - Syntax tree

indirect enum RegexNode {
    case unit(UnitClass)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?)
    case lookahead(RegexNode, negated: Bool)
    case endOfChunk
}

// MARK: - Parser

private struct Parser {
    let scalars: [Unicode.Scalar]
    let pattern: String
    var i = 0

    func fail(_ what: String) -> TokenizerError {
        .invalid("pre-tokenizer pattern \(pattern.debugDescription): \(what) at \(i)")
    }

    mutating func parseAll() throws(TokenizerError) -> RegexNode {
        let node = try parseAlternation()
        guard i == scalars.count else { throw fail("unexpected ')'") }
        return node
    }

    mutating func parseAlternation() throws(TokenizerError) -> RegexNode {
        var branches = [try parseSequence()]
        while i < scalars.count, scalars[i] == "|" {
            i += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseSequence() throws(TokenizerError) -> RegexNode {
        var items: [RegexNode] = []
        while i < scalars.count, scalars[i] != "|", scalars[i] != ")" {
            var atom = try parseAtom()
            atom = try parseQuantifiers(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func parseQuantifiers(_ atom: RegexNode) throws(TokenizerError) -> RegexNode {
        var node = atom
        while i < scalars.count {
            switch scalars[i] {
            case "?": node = .repeated(node, min: 0, max: 1); i += 1
            case "*": node = .repeated(node, min: 0, max: nil); i += 1
            case "+": node = .repeated(node, min: 1, max: nil); i += 1
            case "{":
                let save = i
                i += 1
                guard let low = readNumber() else { i = save; return node }
                var high: Int? = low
                if i < scalars.count, scalars[i] == "," {
                    i += 1
                    high = readNumber()
                }
                guard i < scalars.count, scalars[i] == "}" else { throw fail("unclosed {") }
                i += 1
                guard low <= 1024, (high ?? low) <= 1024, low <= (high ?? low) else { throw fail("repeat count out of range") }
                node = .repeated(node, min: low, max: high)
            default:
                return node
            }
            if i < scalars.count, scalars[i] == "?" { throw fail("lazy quantifiers are not supported") }
        }
        return node
    }

    mutating func readNumber() -> Int? {
        var value = 0
        var digits = 0
        while i < scalars.count, let d = scalars[i].properties.numericType == .decimal ? Int(String(scalars[i])) : nil, scalars[i].isASCII {
            value = value * 10 + d
            digits += 1
            i += 1
            if digits > 6 { return nil }
        }
        return digits > 0 ? value : nil
    }

    mutating func parseAtom() throws(TokenizerError) -> RegexNode {
        let c = scalars[i]
        switch c {
        case "(":
            i += 1
            var lookahead: Bool?
            if i + 1 < scalars.count, scalars[i] == "?" {
                switch scalars[i + 1] {
                case ":": i += 2
                case "=": i += 2; lookahead = false
                case "!": i += 2; lookahead = true
                default: throw fail("unsupported group (?\(scalars[i + 1])")
                }
            }
            let inner = try parseAlternation()
            guard i < scalars.count, scalars[i] == ")" else { throw fail("unclosed (") }
            i += 1
            if let negated = lookahead { return .lookahead(inner, negated: negated) }
            return inner
        case "[":
            return .unit(try parseClass())
        case ".":
            i += 1
            return .unit(UnitClass(ranges: [10...10, 13...13], negated: true))
        case "$":
            i += 1
            return .endOfChunk
        case "\\":
            i += 1
            return .unit(try parseEscape(inClass: false))
        case "*", "+", "?", ")":
            throw fail("unexpected '\(c)'")
        default:
            i += 1
            return .unit(.single(c.value))
        }
    }

    mutating func parseClass() throws(TokenizerError) -> UnitClass {
        i += 1  // [
        var result = UnitClass()
        if i < scalars.count, scalars[i] == "^" {
            result.negated = true
            i += 1
        }
        var first = true
        while i < scalars.count, scalars[i] != "]" || first {
            first = false
            var low: UInt32
            if scalars[i] == "\\" {
                i += 1
                let escaped = try parseEscape(inClass: true)
                guard escaped.ranges.count == 1, escaped.details == 0, !escaped.whitespace, !escaped.notWhitespace, !escaped.negated,
                    escaped.ranges[0].lowerBound == escaped.ranges[0].upperBound
                else {
                    merge(escaped, into: &result)
                    continue
                }
                low = escaped.ranges[0].lowerBound
            } else {
                low = scalars[i].value
                i += 1
            }
            // A range a-b (a '-' before ']' is a literal).
            if i + 1 < scalars.count, scalars[i] == "-", scalars[i + 1] != "]" {
                i += 1
                var high: UInt32
                if scalars[i] == "\\" {
                    i += 1
                    let escaped = try parseEscape(inClass: true)
                    guard escaped.ranges.count == 1, escaped.ranges[0].lowerBound == escaped.ranges[0].upperBound else {
                        throw fail("bad class range")
                    }
                    high = escaped.ranges[0].lowerBound
                } else {
                    high = scalars[i].value
                    i += 1
                }
                guard low <= high else { throw fail("reversed class range") }
                result.ranges.append(low...high)
            } else {
                result.ranges.append(low...low)
            }
        }
        guard i < scalars.count else { throw fail("unclosed [") }
        i += 1  // ]
        return result
    }

    func merge(_ part: UnitClass, into result: inout UnitClass) {
        result.ranges += part.ranges
        result.details |= part.details
        result.whitespace = result.whitespace || part.whitespace
        result.notWhitespace = result.notWhitespace || part.notWhitespace
    }

    mutating func parseEscape(inClass: Bool) throws(TokenizerError) -> UnitClass {
        guard i < scalars.count else { throw fail("trailing backslash") }
        let c = scalars[i]
        i += 1
        switch c {
        case "s": return UnitClass(whitespace: true)
        case "S": return UnitClass(notWhitespace: true)
        case "d": return UnitClass(ranges: [48...57])
        case "D": return UnitClass(ranges: [48...57], negated: true)
        case "w": return UnitClass(ranges: [48...57, 65...90, 95...95, 97...122])
        case "W": return UnitClass(ranges: [48...57, 65...90, 95...95, 97...122], negated: true)
        case "r": return .single(13)
        case "n": return .single(10)
        case "t": return .single(9)
        case "f": return .single(12)
        case "v": return .single(11)
        case "x":
            guard i + 2 <= scalars.count, let v = UInt32(String(String.UnicodeScalarView(scalars[i..<(i + 2)])), radix: 16) else {
                throw fail("bad \\x escape")
            }
            i += 2
            return .single(v)
        case "p", "P":
            guard i < scalars.count, scalars[i] == "{", let close = scalars[i...].firstIndex(of: "}") else { throw fail("bad \\p") }
            let name = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
            i = close + 1
            let detail: PreTokenizer.Detail
            switch name {
            case "L", "Lu", "Ll", "Lt", "Lm", "Lo": detail = .letter
            case "N": detail = .number
            case "P": detail = .punctuation
            case "S": detail = .symbol
            case "M": detail = .mark
            default: throw fail("unsupported category \\p{\(name)}")
            }
            return UnitClass(details: 1 << UInt16(detail.rawValue), negated: c == "P")
        default:
            if c.properties.isAlphabetic || c.properties.numericType != nil { throw fail("unsupported escape \\\(c)") }
            return .single(c.value)
        }
    }
}

// MARK: - Compiler

private struct Compiler {
    var program: [SplitRegex.Instruction] = []
    var classes: [UnitClass] = []
    var lookaheads: [(slot: Int, node: RegexNode)] = []

    mutating func emitMain(_ node: RegexNode) {
        emit(node)
        program.append(.match)
        // Lookahead bodies follow the main program, each ending in .match.
        var k = 0
        while k < lookaheads.count {
            let (slot, body) = lookaheads[k]
            let start = program.count
            if case .lookahead(_, let negated) = program[slot] { program[slot] = .lookahead(start: start, negated: negated) }
            emit(body)
            program.append(.match)
            k += 1
        }
    }

    mutating func emit(_ node: RegexNode) {
        switch node {
        case .unit(let unitClass):
            classes.append(unitClass)
            program.append(.unit(classes.count - 1))
        case .sequence(let items):
            for item in items { emit(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (n, branch) in branches.enumerated() {
                if n < branches.count - 1 {
                    let split = program.count
                    program.append(.split(0, 0))
                    emit(branch)
                    jumps.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    emit(branch)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repeated(let body, let min, let max):
            for _ in 0..<min { emit(body) }
            if let max {
                // Each optional copy: split(body, out); nested so all skip to the end.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(0, 0))
                    emit(body)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.split(0, 0))
                emit(body)
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        case .lookahead(let body, let negated):
            lookaheads.append((program.count, body))
            program.append(.lookahead(start: -1, negated: negated))
        case .endOfChunk:
            program.append(.endOfChunk)
        }
    }
}
