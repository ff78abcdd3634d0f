import Foundation
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Model picker overlay

/// The model picker drawn over the view: one row per model (name, architecture, size, and run or
/// inspect only), the loaded one marked, the highlighted one selected, the reason a model cannot
/// run under the list.
enum ModelPickerOverlay {
    static func render(_ picker: ModelPickerState, _ theme: Theme, _ canvas: inout Canvas) {
        let width = min(canvas.width - 4, 110)
        let rows = max(1, picker.entries.count)
        let height = min(canvas.height - 4, rows + 5)
        let x = (canvas.width - width) / 2, y = max(1, (canvas.height - height) / 2)
        canvas.fill(x: x, y: y, width: width, height: height, style: theme.header)
        canvas.text(" Models (↑/↓ choose, Enter switches, Esc closes; the prompt is kept)", x: x + 1, y: y, style: theme.header, maxWidth: width - 2)
        canvas.fill(x: x + 1, y: y + 1, width: width - 2, height: height - 2, style: .plain)
        if picker.loading {
            canvas.text(" reading the model cache…", x: x + 1, y: y + 2, style: theme.muted, maxWidth: width - 2)
            return
        }
        if picker.entries.isEmpty {
            canvas.text(" no models in the cache: run `tokenscope fetch`", x: x + 1, y: y + 2, style: theme.warning, maxWidth: width - 2)
            return
        }
        let listRows = height - 4
        let first = max(0, min(picker.entries.count - listRows, picker.selected - listRows / 2))
        for (row, index) in (first..<min(picker.entries.count, first + listRows)).enumerated() {
            let entry = picker.entries[index]
            let mark = entry.path == picker.current ? "●" : " "
            let use = entry.isRunnable ? "runs" : (entry.use == .encode ? "encoder" : "inspect only")
            let line = " \(mark) " + entry.name.padding(toLength: 34, withPad: " ", startingAt: 0) + " "
                + entry.architecture.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: " %7.1f MB  ", Double(entry.bytes) / 1e6) + use
            let style = index == picker.selected ? theme.selection : (entry.use == .inspect ? theme.muted : Style.plain)
            canvas.fill(x: x + 1, y: y + 2 + row, width: width - 2, height: 1, style: style)
            canvas.text(line, x: x + 1, y: y + 2 + row, style: style, maxWidth: width - 2)
        }
        let note: String
        if let message = picker.message {
            note = message
        } else if picker.entries.indices.contains(picker.selected), let reason = picker.entries[picker.selected].reason {
            note = reason
        } else {
            note = picker.entries.indices.contains(picker.selected) ? picker.entries[picker.selected].path : ""
        }
        canvas.text(" " + note, x: x + 1, y: y + height - 2, style: picker.message == nil ? theme.muted : theme.warning, maxWidth: width - 2)
    }
}
