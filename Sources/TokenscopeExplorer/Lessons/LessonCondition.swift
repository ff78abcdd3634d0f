import Foundation

// MARK: - Conditions on live values

/// A condition on live values, such as `top1.prob < 0.5` or
/// `head.pattern == previous and head.previous > 60%`: comparisons joined by `and`.
public struct LessonCondition: Sendable, Equatable, CustomStringConvertible {
    /// One comparison.
    public struct Comparison: Sendable, Equatable {
        public let left: Operand
        public let op: Operator
        public let right: Operand
    }

    /// A value path (`top1.prob`), a number (`0.5`, `50%`) or a string (`"␣Paris"`, `previous`).
    public enum Operand: Sendable, Equatable {
        case path(LivePath)
        case number(Double)
        case text(String)
    }

    /// How two operands compare; `contains` is for text.
    public enum Operator: String, Sendable, Equatable, CaseIterable {
        case lessOrEqual = "<=", greaterOrEqual = ">=", equal = "==", notEqual = "!=", less = "<", greater = ">", contains = "contains"
    }

    /// The comparisons, all of which must hold.
    public let comparisons: [Comparison]
    /// The source text.
    public let text: String

    public var description: String { text }

    /// Parses `text`; the error names what is wrong (the caller adds file and line).
    public static func parse(_ text: String) throws(LessonSyntaxError) -> LessonCondition {
        var comparisons: [Comparison] = []
        for clause in text.components(separatedBy: " and ") {
            let clause = clause.trimmingCharacters(in: .whitespaces)
            guard let (op, range) = findOperator(clause) else {
                throw LessonSyntaxError("'\(clause)' has no comparison (use <, <=, >, >=, ==, != or contains)")
            }
            let leftText = clause[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !leftText.isEmpty else { throw LessonSyntaxError("a comparison is missing a side") }
            let left = Operand.path(try LivePath.parse(leftText))
            let right = try operand(String(clause[range.upperBound...]))
            comparisons.append(Comparison(left: left, op: op, right: right))
        }
        return LessonCondition(comparisons: comparisons, text: text)
    }

    /// The first operator outside quotes.
    static func findOperator(_ clause: String) -> (Operator, Range<String.Index>)? {
        var quoted = false
        var index = clause.startIndex
        while index < clause.endIndex {
            if clause[index] == "\"" { quoted.toggle() }
            if !quoted {
                for op in Operator.allCases {
                    let token = op == .contains ? " contains " : op.rawValue
                    if clause[index...].hasPrefix(token) {
                        return (op, index..<clause.index(index, offsetBy: token.count))
                    }
                }
            }
            index = clause.index(after: index)
        }
        return nil
    }

    static func operand(_ raw: String) throws(LessonSyntaxError) -> Operand {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw LessonSyntaxError("a comparison is missing a side") }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return .text(String(text.dropFirst().dropLast())) }
        if text.hasSuffix("%"), let value = Double(text.dropLast().trimmingCharacters(in: .whitespaces)) { return .number(value / 100) }
        if let value = Double(text) { return .number(value) }
        // A bare word is text (`previous`); a name with a dot or an argument is a live value.
        if text.contains(".") || text.contains("("), let path = try LivePath.parseIfPath(text) { return .path(path) }
        return .text(text)
    }

    /// Whether every comparison holds, and for the first that does not, why.
    public func evaluate(_ values: LiveValues) -> (holds: Bool, reason: String?) {
        for comparison in comparisons {
            let left: LiveValue, right: LiveValue
            switch resolve(comparison.left, values) {
            case .success(let value): left = value
            case .failure(let error): return (false, "\(error.reason)")
            }
            switch resolve(comparison.right, values) {
            case .success(let value): right = value
            case .failure(let error): return (false, "\(error.reason)")
            }
            if !Self.compare(left, comparison.op, right) {
                var reason = "\(operandText(comparison.left)) is \(left.display)"
                if case .path = comparison.right { reason += ", \(operandText(comparison.right)) is \(right.display)" }
                return (false, reason)
            }
        }
        return (true, nil)
    }

    func resolve(_ operand: Operand, _ values: LiveValues) -> Result<LiveValue, LiveValueError> {
        switch operand {
        case .number(let n): .success(.number(n, display: String(n)))
        case .text(let t): .success(.text(t))
        case .path(let p): Result { () throws(LiveValueError) -> LiveValue in try values.value(p) }
        }
    }

    func operandText(_ operand: Operand) -> String {
        switch operand {
        case .number(let n): String(n)
        case .text(let t): "\"\(t)\""
        case .path(let p): p.text
        }
    }

    static func compare(_ left: LiveValue, _ op: Operator, _ right: LiveValue) -> Bool {
        if case .number(let a, _) = left, case .number(let b, _) = right {
            switch op {
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            case .equal: return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
            case .notEqual: return abs(a - b) > 1e-9 * max(1, abs(a), abs(b))
            case .contains: return false
            }
        }
        let a = left.plain, b = right.plain
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .contains: return a.contains(b)
        default: return false
        }
    }
}

/// A syntax problem inside one directive (the parser adds file and line).
public struct LessonSyntaxError: Error, Sendable, Equatable {
    /// What is wrong.
    public let reason: String
    /// An error saying `reason`.
    public init(_ reason: String) { self.reason = reason }
}
