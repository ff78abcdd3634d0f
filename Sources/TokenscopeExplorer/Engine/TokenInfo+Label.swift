import TokenscopeTokenizers

// MARK: - How a token of the sequence is shown

extension TokenInfo {
    /// The token as every view shows it: visible whitespace, or its bytes in hex (`‹E4 BD›`) when
    /// they are not whole UTF-8 characters (its decoded text would be U+FFFD).
    public var label: String {
        bytes.isEmpty ? TokenSpelling.visible(text) : TokenSpelling.label(bytes: bytes)
    }
}
