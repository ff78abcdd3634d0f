// MARK: - Counts in words

/// A count with its noun in the right number ("1 word", "5 words"), so no screen says "1 words".
enum Plural {
    /// `count` and `singular`, or `plural` (default: `singular` + "s") when count is not 1.
    static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + noun(count, singular, plural)
    }

    /// `singular`, or `plural` (default: `singular` + "s") when count is not 1.
    static func noun(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        count == 1 ? singular : plural ?? singular + "s"
    }
}
