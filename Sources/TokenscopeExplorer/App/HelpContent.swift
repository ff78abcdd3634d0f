import TokenscopeUI

// MARK: - What help lists

/// The help overlay's content for a state: the current view's keys, then the ones that work
/// everywhere. Shared by the renderer (drawing it) and the reducer (scrolling it).
enum HelpContent {
    /// The help overlay for the current view: its keys first, then the ones that work everywhere.
    static func overlay(_ state: AppState, theme: Theme) -> HelpOverlay {
        let bindings = Keymap.bindings(in: state.view).filter(\.listed)
        var entries = [HelpOverlay.Entry(keys: nil, text: "\(state.view.title) view")]
        entries += bindings.filter { $0.views != nil }.map { HelpOverlay.Entry(keys: $0.label, text: $0.help) }
        entries.append(HelpOverlay.Entry(keys: nil, text: "Everywhere"))
        entries += bindings.filter { $0.views == nil }.map { HelpOverlay.Entry(keys: $0.label, text: $0.help) }
        var heading = theme.header
        heading.underline = true
        var overlay = HelpOverlay(
            title: "Keys (any key closes)", entries: entries, frameStyle: theme.header, keyStyle: theme.selection,
            textStyle: theme.footer, headingStyle: heading)
        overlay.scroll = state.helpScroll
        let pages = overlay.maxScroll(in: Rect(x: 0, y: 0, width: state.width, height: state.height)) + 1
        if pages > 1 {
            overlay.title = "Keys · page \(min(max(0, state.helpScroll), pages - 1) + 1) of \(pages) (↓/↑ page, other keys close)"
        }
        return overlay
    }
}
