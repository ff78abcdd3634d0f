import TokenscopeUI

// MARK: - Where the sequence stands, for the header

/// The header's right end: the selected token (numbered from 0, as everywhere), how much of the
/// context window the sequence fills, and the KV cache that holds it (a decoder's; an encoder has none).
enum HeaderPosition {
    /// The longest text that fits in `room` columns: "token 7 · 8 / 8 192 tokens · KV cache 360 kB",
    /// then shorter forms; empty before the prompt has run.
    static func text(_ state: AppState, room: Int) -> String {
        guard !state.tokens.isEmpty else { return "" }
        let count = SamplingView.grouped(state.tokens.count)
        let window = state.contextLength > 0 ? " / \(SamplingView.grouped(state.contextLength))" : ""
        let cache = bytes(state.tokens.count * state.kvBytesPerToken)
        // An encoder keeps no KV cache (it reads the whole text at once): no cache size to give.
        let cached = state.kvBytesPerToken > 0 ? [
            " token \(state.selected) · \(count)\(window) tokens · KV cache \(cache) ",
            " token \(state.selected) · \(count)\(window) tokens · KV \(cache) ",
        ] : []
        let forms = cached + [
            " token \(state.selected) · \(count)\(window) tokens ",
            " \(state.selected) · \(count)\(window) ",
        ]
        return forms.first { Canvas.columns(of: $0) <= room } ?? forms[forms.count - 1]
    }

    /// 360 kB, 1.4 MB, 2.10 GB (powers of 1 000, as model sizes are given).
    static func bytes(_ n: Int) -> String {
        let value = Double(n)
        if value < 1e6 { return "\(Int((value / 1e3).rounded())) kB" }
        if value < 1e9 { return String(format: value < 1e7 ? "%.1f MB" : "%.0f MB", value / 1e6) }
        return String(format: "%.2f GB", value / 1e9)
    }
}
