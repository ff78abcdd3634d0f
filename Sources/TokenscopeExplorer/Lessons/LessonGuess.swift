import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Guess the next token

/// The learner's guess for the next token in a guess task: what they typed, where, and what the
/// model made of it once the engine has answered (`InspectRequest.guess`).
public struct LessonGuess: Sendable, Equatable {
    /// The guess as typed.
    public let text: String
    /// The position whose next token is guessed (from 0).
    public let position: Int
    /// The sequence's ids through `position` when the guess was made: the guess is shown against
    /// the model's pick only while the text before it is the same.
    public let prefix: [Int]
    /// The engine's answer, once it is there.
    public var report: GuessReport?

    /// A guess of `text` for the token after `position` of `tokens`.
    public init(text: String, position: Int, tokens: [TokenInfo]) {
        self.text = text
        self.position = position
        prefix = tokens.prefix(position + 1).map(\.id)
    }

    /// The token the model picked after the guessed position, once the learner has stepped: the
    /// guess is revealed then, and only then.
    public func picked(in tokens: [TokenInfo]) -> TokenInfo? {
        guard report != nil, tokens.count > position + 1, tokens.prefix(position + 1).map(\.id) == prefix,
              tokens[position + 1].generated else { return nil }
        return tokens[position + 1]
    }
}

/// How the model reads a guess: the token(s) it becomes, and the probability and rank the model
/// gave its first token at the guessed position (temperature 1: the model's own distribution).
public struct GuessReport: Sendable, Equatable {
    /// One way of writing the guess as text after the sequence.
    public struct Reading: Sendable, Equatable {
        /// The text tokenized (the guess, with a leading space for the usual reading).
        public let text: String
        /// Its tokens: ids and decoded texts.
        public let ids: [Int]
        public let texts: [String]
        /// The model's probability of the first token, and its rank (from 1) among all tokens.
        public let probability: Double
        public let rank: Int

        /// A reading of `text` as `ids`/`texts` with the first token's probability and rank.
        public init(text: String, ids: [Int], texts: [String], probability: Double, rank: Int) {
            self.text = text
            self.ids = ids
            self.texts = texts
            self.probability = probability
            self.rank = rank
        }

        /// The tokens as the chips label them (`␣cold`), joined with ` · `.
        public var label: String { texts.map { TokenSpelling.visible($0) }.joined(separator: " · ") }
    }

    /// The guess as typed and the position it is for.
    public let text: String
    public let position: Int
    /// The readings: first as the model would meet the word after the text (a leading space when
    /// the text before does not end in one and the guess does not start with one), then as typed
    /// when that differs.
    public let readings: [Reading]

    /// A report on the guess `text` after `position`.
    public init(text: String, position: Int, readings: [Reading]) {
        self.text = text
        self.position = position
        self.readings = readings
    }

    /// The texts a guess is read as after `before` (the text of the token before it): with a
    /// leading space first, unless either side already has the space.
    public static func variants(of guess: String, after before: String) -> [String] {
        if guess.first?.isWhitespace == true || before.last?.isWhitespace == true || before.isEmpty { return [guess] }
        return [" " + guess, guess]
    }
}

/// A guess the engine cannot read (no such position, or text that makes no token).
public struct GuessError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
}

extension LessonTask {
    /// The check of a guess task that names none: the guess has been revealed.
    public static let guessRevealedCheck = "guess.rank >= 1"
}

// MARK: - The guess field

extension Reducer {
    /// Keys for the guess field while it is open: text editing, Enter locks the guess in and asks
    /// the engine how the model reads it, Esc closes the field without a guess. Nil lets the key
    /// through (Ctrl-C still quits).
    static func guessKey(_ state: inout AppState, _ key: Key) -> [Effect]? {
        guard var field = state.teaching.guessField, !state.teaching.pressingStepKeys else { return nil }
        switch key {
        case .control("c"):
            return nil
        case .escape:
            state.teaching.guessField = nil
            state.status = "no guess: space steps without one ({ and } bring the step back)"
        case .enter:
            var text = field.text
            while text.last?.isWhitespace == true { text.removeLast() }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty, !state.tokens.isEmpty else {
                state.status = "type a guess first (Esc skips)"
                return []
            }
            state.teaching.guessField = nil
            let guess = LessonGuess(text: text, position: state.selected, tokens: state.tokens)
            state.teaching.guess = guess
            return [.inspect(.guess(text, position: guess.position))]
        default:
            _ = field.edit(key)
            state.teaching.guessField = field
        }
        return []
    }

    /// The engine's reading of the guess arrived.
    static func guessRead(_ state: inout AppState, _ report: GuessReport) {
        guard var guess = state.teaching.guess, guess.text == report.text, guess.position == report.position else { return }
        guess.report = report
        state.teaching.guess = guess
    }

    /// Presses the next of a step's own keys: they act on the explorer, never on the guess field.
    static func pressStepKey(_ state: inout AppState) -> [Effect] {
        let key = state.teaching.pendingKeys.removeFirst()
        state.teaching.pressingStepKeys = true
        defer { state.teaching.pressingStepKeys = false }
        return reduceAction(&state, .key(key)) + viewDataEffects(&state)
    }
}

// MARK: - In the narration panel

extension TeachingPanels {
    /// The guess task's lines: the field while it is open, then the guess and the token(s) it
    /// became, then — once the model has picked — the probability and rank it gave the guess.
    static func guessLines(_ state: AppState, width: Int) -> [String] {
        guard state.teaching.currentStep?.task?.guess != nil else { return [] }
        if let field = state.teaching.guessField {
            return wrap("▶ Your guess: " + field.text + "▏ (Enter locks it in, Esc skips)", width: width)
        }
        guard let guess = state.teaching.guess else { return wrap("No guess this time: { and } bring the step back.", width: width) }
        guard let report = guess.report, let main = report.readings.first else { return wrap("Your guess: \"\(guess.text)\" (reading it…)", width: width) }
        let count = main.ids.count
        var text = "Your guess \"\(guess.text)\" is \(count == 1 ? "the token" : "\(count) tokens:") \(main.label)"
        if count > 1 { text += " — the model predicts one token at a time, so its first token, \(TokenSpelling.visible(main.texts[0])), is what counts" }
        text += "."
        guard let picked = guess.picked(in: state.tokens) else {
            return wrap(text + " Now press space: the model picks the next token.", width: width)
        }
        text += " The model gave it \(LiveValues.probability(main.probability).display) (rank \(SamplingView.grouped(main.rank)))"
        text += " and picked \(TokenSpelling.visible(picked.text))"
        if let p = picked.probability { text += " (\(LiveValues.probability(Double(p)).display))" }
        text += "."
        if report.readings.count > 1 {
            let bare = report.readings[1]
            text += " Without the space, \"\(bare.text)\" is \(bare.label): \(LiveValues.probability(bare.probability).display) (rank \(SamplingView.grouped(bare.rank)))."
        }
        return wrap(text, width: width)
    }
}

// MARK: - As live values

extension LiveValues {
    /// `guess.*`: the learner's guess (`text`), the token(s) it became (`tokens`, `count`,
    /// `first`) and, once the model has picked the next token, the probability and rank the model
    /// gave it (`prob`, `rank`) and what it picked (`picked`, `picked_prob`); `guess.bare.*` is the
    /// reading without the leading space.
    func guess(_ fields: [String], _ path: LivePath) throws(LiveValueError) -> LiveValue {
        guard let guess = state.teaching.guess else { throw LiveValueError("\(path.text): no guess yet (type one and press Enter)") }
        let field = fields.first ?? "text"
        if field == "text" { return .text(guess.text) }
        guard let report = guess.report, let main = report.readings.first else { throw LiveValueError("\(path.text): the guess is still being read") }
        var reading = main
        if field == "bare" {
            guard report.readings.count > 1 else { throw LiveValueError("\(path.text): the guess has no reading without a leading space") }
            reading = report.readings[1]
        }
        let name = field == "bare" ? (fields.dropFirst().first ?? "tokens") : field
        switch name {
        case "tokens": return .text(reading.label)
        case "count": return Self.count(reading.ids.count)
        case "first": return .text(TokenSpelling.visible(reading.texts.first ?? ""))
        case "prob", "rank", "picked", "picked_prob":
            guard let picked = guess.picked(in: state.tokens) else {
                throw LiveValueError("\(path.text): shown once the model has picked the token after the guess (press space)")
            }
            switch name {
            case "prob": return Self.probability(reading.probability)
            case "rank": return Self.count(reading.rank)
            case "picked": return .text(TokenSpelling.visible(picked.text))
            default:
                guard let p = picked.probability else { throw LiveValueError("\(path.text): the picked token has no probability") }
                return Self.probability(Double(p))
            }
        default:
            throw LiveValueError("\(path.text): a guess has text, tokens, count, first, prob, rank, picked, picked_prob (and bare.tokens, bare.prob, …)")
        }
    }
}
