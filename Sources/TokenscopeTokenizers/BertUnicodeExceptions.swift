// MARK: - Where HF `tokenizers`' Unicode tables differ from Swift's

/// Scalars on which the reference BERT normaliser and pre-tokenizer (HF `tokenizers`, whose Unicode
/// tables are of a different Unicode version than Swift's) disagree with the rules computed from
/// Swift's Unicode properties. Found by running both on every code point
/// (Tests/Reference/tokenizers/bert_unicode_exceptions.py); kept small and explicit.
enum BertUnicodeExceptions {
    /// Scalar → what the reference normaliser turns it into (with the default uncased settings).
    static let normalization: [UInt32: [UInt32]] = [:]
    /// Scalars the reference splits off as punctuation although Swift's categories say otherwise.
    static let punctuation: Set<UInt32> = []
    /// Scalars Swift calls punctuation that the reference does not split off.
    static let notPunctuation: Set<UInt32> = []
}
