// MARK: - Input from a terminal

/// What a terminal backend reads: keys, pastes, mouse and size changes — nothing that knows about
/// the explorer. The explorer turns events into its own actions.
public enum InputEvent: Sendable, Equatable {
    /// A key press.
    case key(Key)
    /// The terminal is now this many columns and rows.
    case resize(width: Int, height: Int)
    /// A mouse click at a cell.
    case click(x: Int, y: Int)
    /// The wheel: +1 down, −1 up.
    case scroll(Int)
    /// Text pasted into the terminal (bracketed paste), as one piece; `dropped` characters past the
    /// paste limit were not kept; `replaced` sequences of bytes that were not UTF-8 are in the text
    /// as U+FFFD (so the user can be told).
    case paste(String, dropped: Int, replaced: Int = 0)
}
