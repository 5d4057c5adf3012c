/// Horizontal bar charts drawn as SVG on the server: readable on a phone, printable, no script.
public enum SVGBarChart {
    public struct Bar: Sendable {
        public var label: String
        public var value: Fen
        public init(_ label: String, _ value: Fen) { self.label = label; self.value = value }
    }

    /// Values are shown in 万元; bar lengths are proportional to the largest value. Each label sits on its own line
    /// above its bar, in a drawing 360 units wide: on a 390 px phone the text is drawn at about its stated size
    /// (a side-by-side layout 640 wide shrank it to 7 px there).
    public static func render(title: String, bars: [Bar], width: Int = 360, emptyText: String = "无数据") -> String {
        let rowHeight = 46, top = 34, valueWidth = 96
        let plot = max(40, width - valueWidth)
        let maxValue = max(bars.map(\.value.value).max() ?? 0, 1)
        let height = top + max(1, bars.count) * rowHeight + 4
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-label="\(Markup.escape(title))" class="chart">\
        <title>\(Markup.escape(title))</title>\
        <text x="0" y="18" font-size="15" font-weight="bold" fill="#1f2328">\(Markup.escape(fit(title, width: width, size: 15)))</text>
        """
        if bars.isEmpty {
            out += "<text x=\"0\" y=\"\(top + 18)\" font-size=\"14\" fill=\"#59636e\">\(Markup.escape(emptyText))</text>"
        }
        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            // Pixel geometry, not money: a ratio in floating point cannot overflow whatever the figures.
            let length = bar.value.value <= 0 ? 0
                : max(1, Int((Double(plot) * Double(bar.value.value) / Double(maxValue)).rounded(.down)))
            out += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"14\" fill=\"#1f2328\">\(Markup.escape(fit(bar.label, width: width, size: 14)))</text>"
            out += "<rect x=\"0\" y=\"\(y + 20)\" width=\"\(length)\" height=\"16\" fill=\"#b3261e\" rx=\"2\"/>"
            out += "<text x=\"\(length + 6)\" y=\"\(y + 33)\" font-size=\"14\" fill=\"#1f2328\">\(MoneyFormat.wan(bar.value))</text>"
        }
        return out + "</svg>"
    }

    /// As much of `text` as fits `width` at font `size`: a CJK character is about as wide as the size, Latin text
    /// about half of it; what is cut ends in "…" (the full text stays in the chart's title for screen readers).
    static func fit(_ text: String, width: Int, size: Int) -> String {
        var used = 0.0
        var out = ""
        let limit = Double(width) - Double(size)
        for c in text {
            used += c.isASCII ? Double(size) * 0.55 : Double(size)
            if used > limit { return out + "…" }
            out.append(c)
        }
        return out
    }
}
