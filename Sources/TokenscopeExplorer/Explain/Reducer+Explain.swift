import TokenscopeUI

// MARK: - Keys of the explain panel

extension Reducer {
    /// Esc closes the open explain panel (as `y` does); nil when the key is not the panel's.
    static func explainKey(_ state: inout AppState, _ key: Key) -> [Effect]? {
        guard key == .escape, state.teaching.explainOpen else { return nil }
        state.teaching.explainOpen = false
        return []
    }
}
