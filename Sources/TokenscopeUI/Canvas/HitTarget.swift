// MARK: - What a click can hit

/// A thing drawn on the canvas that a mouse click can select: marked by whoever draws it, so input
/// is resolved against the frame on screen rather than by re-deriving a layout.
public enum HitTarget: Sendable, Equatable {
    /// The token at a sequence position (a chip, a heatmap row, a word of generated text).
    case token(Int)
    /// A tab of a tab row, by index.
    case tab(Int)
}
