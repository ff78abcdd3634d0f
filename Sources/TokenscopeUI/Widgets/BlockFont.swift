// MARK: - Block letters

/// Big letters for a projector, in the figlet/toilet manner: a 3×5-pixel font drawn with half
/// blocks (▀ ▄ █, two pixel rows per text row), each pixel `scale` columns wide and `scale` pixel
/// rows tall. Letters, digits and common punctuation have glyphs; ␣ ↵ and ‹ › (token spellings)
/// too; anything else is drawn as a hollow box.
public struct BlockFont: Sendable {
    /// Columns per pixel and pixel rows per pixel (1 or more).
    public var scale: Int

    /// A font at `scale`.
    public init(scale: Int) { self.scale = max(1, scale) }

    /// Pixel rows of a glyph.
    static let glyphHeight = 5
    /// Pixel columns of a glyph.
    static let glyphWidth = 3

    /// Text rows the letters take.
    public var rows: Int { (Self.glyphHeight * scale + 1) / 2 }

    /// Columns `text` takes (a one-pixel gap after every letter but the last).
    public func width(of text: String) -> Int {
        let count = text.count
        return count == 0 ? 0 : (count * (Self.glyphWidth + 1) - 1) * scale
    }

    /// The largest scale (up to `maximum`) at which `text` fits in `width` columns and `height` rows.
    public static func fitting(_ text: String, width: Int, height: Int, maximum: Int = 4) -> BlockFont? {
        for scale in stride(from: maximum, through: 1, by: -1) {
            let font = BlockFont(scale: scale)
            if font.width(of: text) <= width && font.rows <= height { return font }
        }
        return nil
    }

    /// Draws `text` from (x, y) in `style` (its foreground colours the blocks); returns the column
    /// after the last letter.
    @discardableResult
    public func render(_ text: String, x: Int, y: Int, style: Style, on canvas: inout Canvas) -> Int {
        let pixelRows = Self.glyphHeight * scale
        var column = x
        for (index, character) in text.enumerated() {
            let glyph = Self.glyph(character)
            let pixelColumns = Self.glyphWidth * scale
            for textRow in 0..<rows {
                for dx in 0..<pixelColumns {
                    func on(_ pixelRow: Int) -> Bool {
                        guard pixelRow < pixelRows else { return false }
                        return glyph[pixelRow / scale][dx / scale]
                    }
                    let top = on(textRow * 2), bottom = on(textRow * 2 + 1)
                    let character: Character = top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " "
                    canvas.set(column + dx, y + textRow, character, style)
                }
                // The gap after the letter.
                if index < text.count - 1 {
                    for dx in pixelColumns..<(pixelColumns + scale) { canvas.set(column + dx, y + textRow, " ", style) }
                }
            }
            column += (Self.glyphWidth + 1) * scale
        }
        return column - scale
    }

    /// The glyph of `character`: 5 rows of 3 pixels.
    static func glyph(_ character: Character) -> [[Bool]] {
        let rows = table[character] ?? table[Character(character.uppercased())] ?? box
        return rows.map { row in row.map { $0 == "#" } }
    }

    static let box = ["###", "#.#", "#.#", "#.#", "###"]

    static let table: [Character: [String]] = [
        "A": [".#.", "#.#", "###", "#.#", "#.#"], "B": ["##.", "#.#", "##.", "#.#", "##."], "C": [".##", "#..", "#..", "#..", ".##"],
        "D": ["##.", "#.#", "#.#", "#.#", "##."], "E": ["###", "#..", "##.", "#..", "###"], "F": ["###", "#..", "##.", "#..", "#.."],
        "G": [".##", "#..", "#.#", "#.#", ".##"], "H": ["#.#", "#.#", "###", "#.#", "#.#"], "I": ["###", ".#.", ".#.", ".#.", "###"],
        "J": ["..#", "..#", "..#", "#.#", ".#."], "K": ["#.#", "#.#", "##.", "#.#", "#.#"], "L": ["#..", "#..", "#..", "#..", "###"],
        "M": ["#.#", "###", "###", "#.#", "#.#"], "N": ["##.", "#.#", "#.#", "#.#", "#.#"], "O": [".#.", "#.#", "#.#", "#.#", ".#."],
        "P": ["##.", "#.#", "##.", "#..", "#.."], "Q": [".#.", "#.#", "#.#", "###", ".##"], "R": ["##.", "#.#", "##.", "#.#", "#.#"],
        "S": [".##", "#..", ".#.", "..#", "##."], "T": ["###", ".#.", ".#.", ".#.", ".#."], "U": ["#.#", "#.#", "#.#", "#.#", ".##"],
        "V": ["#.#", "#.#", "#.#", ".#.", ".#."], "W": ["#.#", "#.#", "###", "###", "#.#"], "X": ["#.#", "#.#", ".#.", "#.#", "#.#"],
        "Y": ["#.#", "#.#", ".#.", ".#.", ".#."], "Z": ["###", "..#", ".#.", "#..", "###"],
        "a": ["...", "##.", ".##", "#.#", "###"], "b": ["#..", "#..", "##.", "#.#", "##."], "c": ["...", "...", ".##", "#..", ".##"],
        "d": ["..#", "..#", ".##", "#.#", ".##"], "e": ["...", ".##", "#.#", "##.", ".##"], "f": ["..#", ".#.", "###", ".#.", ".#."],
        "g": ["...", ".##", "#.#", ".##", "##."], "h": ["#..", "#..", "##.", "#.#", "#.#"], "i": [".#.", "...", ".#.", ".#.", ".#."],
        "j": ["..#", "...", "..#", "#.#", ".#."], "k": ["#..", "#.#", "##.", "##.", "#.#"], "l": ["##.", ".#.", ".#.", ".#.", "###"],
        "m": ["...", "...", "###", "###", "#.#"], "n": ["...", "...", "##.", "#.#", "#.#"], "o": ["...", "...", ".#.", "#.#", ".#."],
        "p": ["...", "##.", "#.#", "##.", "#.."], "q": ["...", ".##", "#.#", ".##", "..#"], "r": ["...", "...", ".##", "#..", "#.."],
        "s": ["...", ".##", "##.", "..#", "##."], "t": [".#.", "###", ".#.", ".#.", ".##"], "u": ["...", "...", "#.#", "#.#", ".##"],
        "v": ["...", "...", "#.#", "#.#", ".#."], "w": ["...", "...", "#.#", "###", "###"], "x": ["...", "...", "#.#", ".#.", "#.#"],
        "y": ["...", "#.#", "#.#", ".##", "##."], "z": ["...", "###", ".##", "##.", "###"],
        "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"], "2": ["##.", "..#", ".#.", "#..", "###"],
        "3": ["##.", "..#", ".#.", "..#", "##."], "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "##.", "..#", "##."],
        "6": [".##", "#..", "###", "#.#", "###"], "7": ["###", "..#", ".#.", ".#.", ".#."], "8": ["###", "#.#", "###", "#.#", "###"],
        "9": ["###", "#.#", "###", "..#", "##."],
        " ": ["...", "...", "...", "...", "..."], ".": ["...", "...", "...", "...", ".#."], ",": ["...", "...", "...", ".#.", "#.."],
        "%": ["#.#", "..#", ".#.", "#..", "#.#"], "-": ["...", "...", "###", "...", "..."], "'": [".#.", ".#.", "...", "...", "..."],
        "\"": ["#.#", "#.#", "...", "...", "..."], "!": [".#.", ".#.", ".#.", "...", ".#."], "?": ["##.", "..#", ".#.", "...", ".#."],
        ":": ["...", ".#.", "...", ".#.", "..."], ";": ["...", ".#.", "...", ".#.", "#.."], "(": ["..#", ".#.", ".#.", ".#.", "..#"],
        ")": ["#..", ".#.", ".#.", ".#.", "#.."], "/": ["..#", "..#", ".#.", "#..", "#.."], "+": ["...", ".#.", "###", ".#.", "..."],
        "=": ["...", "###", "...", "###", "..."], "_": ["...", "...", "...", "...", "###"], "#": ["#.#", "###", "#.#", "###", "#.#"],
        "&": [".#.", "#.#", ".#.", "#.#", ".##"], "*": ["...", "#.#", ".#.", "#.#", "..."], "<": ["..#", ".#.", "#..", ".#.", "..#"],
        ">": ["#..", ".#.", "..#", ".#.", "#.."], "[": ["##.", "#..", "#..", "#..", "##."], "]": [".##", "..#", "..#", "..#", ".##"],
        "␣": ["...", "...", "...", "#.#", "###"], "↵": ["..#", "..#", "#.#", "###", "#.."], "‹": ["..#", ".#.", "#..", ".#.", "..#"],
        "›": ["#..", ".#.", "..#", ".#.", "#.."], "·": ["...", "...", ".#.", "...", "..."], "∅": [".##", "#.#", "###", "#.#", "##."],
    ]
}
