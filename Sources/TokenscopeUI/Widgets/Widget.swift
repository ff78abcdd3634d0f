// MARK: - The widget interface

/// Something that draws itself into a rectangle of a canvas: every widget has this one entry point,
/// so views compose widgets the same way (immediate mode: build the value, render it, drop it).
/// Styles, the theme and the data are the widget's stored properties, set before rendering.
public protocol Widget: Sendable {
    /// Draws into `area` of `canvas`, clipped to it.
    func render(in area: Rect, on canvas: inout Canvas)
}
