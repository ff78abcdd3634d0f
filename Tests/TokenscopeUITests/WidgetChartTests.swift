import Testing
import TokenscopeUI

// MARK: - Bar chart and sparkline

@Suite("Widgets: charts")
struct WidgetChartTests {
    @Test func barsUseEighthBlocks() {
        #expect(BarChart.bar(1, width: 4) == "████")
        #expect(BarChart.bar(0.5, width: 4) == "██")
        #expect(BarChart.bar(1.0 / 32, width: 4) == "▏")
        #expect(BarChart.bar(0.3, width: 4) == "█▎")  // 9.6 eighths → 10 = 1 block + 2/8
        #expect(BarChart.bar(0, width: 4) == "")
        #expect(BarChart.bar(-1, width: 4) == "")
        #expect(BarChart.bar(.nan, width: 4) == "")
        #expect(BarChart.bar(7, width: 3) == "███", "values past the maximum are clamped")
        #expect(BarChart.bar(1, width: 0) == "")
    }

    @Test func chartAt30Columns() {
        let chart = BarChart(rows: [
            .init(label: "Paris", value: 0.6, annotation: "60%"),
            .init(label: "the capital", value: 0.3, annotation: "30%"),
            .init(label: "a", value: 0.1, annotation: "10%"),
        ], maximum: 0.6, labelWidth: 6)
        var canvas = Canvas(width: 30, height: 4)
        chart.render(in: Rect(x: 0, y: 0, width: 30, height: 4), on: &canvas)
        assertLines(canvas, [
            "Paris  ███████████████████ 60%",
            "the c… █████████▌          30%",
            "a      ███▏                10%",
            "",
        ])
    }

    @Test func chartClipsToTinyAreas() {
        let rows: [BarChart.Row] = [.init(label: "x", value: 1, annotation: "100%"), .init(label: "y", value: 0.5)]
        var canvas = Canvas(width: 5, height: 1)
        BarChart(rows: rows).render(in: Rect(x: 0, y: 0, width: 5, height: 1), on: &canvas)
        assertLines(canvas, ["x █ …"])
        var empty = Canvas(width: 3, height: 3)
        BarChart(rows: rows).render(in: Rect(x: 1, y: 1, width: 0, height: 0), on: &empty)
        #expect(empty == Canvas(width: 3, height: 3))
        var one = Canvas(width: 1, height: 1)
        BarChart(rows: rows).render(in: Rect(x: 0, y: 0, width: 1, height: 1), on: &one)
        #expect(one.lines.count == 1)
    }

    @Test func chartStaysInsideItsArea() {
        var canvas = Canvas(width: 12, height: 3)
        BarChart(rows: [.init(label: "long label", value: 1, annotation: "1.000")])
            .render(in: Rect(x: 2, y: 1, width: 8, height: 1), on: &canvas)
        #expect(canvas.lines[0] == "" && canvas.lines[2] == "")
        #expect(canvas[0, 1]?.character == " " && canvas[1, 1]?.character == " ")
        #expect(canvas[10, 1]?.character == " " && canvas[11, 1]?.character == " ")
    }

    @Test func sparklineScalesToTheSeries() {
        #expect(Sparkline.characters([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.characters([5, 5, 5]) == "▄▄▄", "a flat series sits in the middle")
        #expect(Sparkline.characters([0, .nan, 7]) == "▁ █")
        #expect(Sparkline.characters([1, 2], range: 0...4) == "▃▅")
        #expect(Sparkline.characters([]) == "")
    }

    @Test func sparklineShowsTheNewestValuesWhenNarrow() {
        var canvas = Canvas(width: 4, height: 2)
        Sparkline(values: [7, 0, 0, 7, 7, 0]).render(in: Rect(x: 0, y: 1, width: 3, height: 1), on: &canvas)
        assertLines(canvas, ["", "██▁"])
        var tiny = Canvas(width: 1, height: 1)
        Sparkline(values: [1, 2, 3]).render(in: Rect(x: 0, y: 0, width: 1, height: 1), on: &tiny)
        assertLines(tiny, ["█"])
    }

    @Test func sparklineStylesByLevel() {
        var canvas = Canvas(width: 2, height: 1)
        Sparkline(values: [0, 1], styleForLevel: { Style(foreground: .indexed($0 > 0.5 ? 2 : 1)) })
            .render(in: Rect(x: 0, y: 0, width: 2, height: 1), on: &canvas)
        #expect(canvas[0, 0]?.style.foreground == .indexed(1))
        #expect(canvas[1, 0]?.style.foreground == .indexed(2))
    }
}
