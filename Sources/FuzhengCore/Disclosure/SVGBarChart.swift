/// Horizontal bar charts drawn as SVG on the server: readable on a phone, printable, no script.
public enum SVGBarChart {
    public struct Bar: Sendable {
        public var label: String
        public var value: Fen
        public init(_ label: String, _ value: Fen) { self.label = label; self.value = value }
    }

    /// Values are shown in 万元; bar lengths are proportional to the largest value.
    public static func render(title: String, bars: [Bar], width: Int = 640) -> String {
        let rowHeight = 28, top = 32, labelWidth = 200, valueWidth = 90
        let plot = max(40, width - labelWidth - valueWidth - 16)
        let maxValue = max(bars.map(\.value.value).max() ?? 0, 1)
        let height = top + max(1, bars.count) * rowHeight + 8
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-label="\(Markup.escape(title))" class="chart">\
        <title>\(Markup.escape(title))</title>\
        <text x="0" y="18" font-size="15" font-weight="bold" fill="#1f2328">\(Markup.escape(title))</text>
        """
        if bars.isEmpty {
            out += "<text x=\"0\" y=\"\(top + 18)\" font-size=\"13\" fill=\"#59636e\">无数据</text>"
        }
        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            // Pixel geometry, not money: a ratio in floating point cannot overflow whatever the figures.
            let length = bar.value.value <= 0 ? 0
                : max(1, Int((Double(plot) * Double(bar.value.value) / Double(maxValue)).rounded(.down)))
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" font-size=\"13\" text-anchor=\"end\" fill=\"#1f2328\">\(Markup.escape(String(bar.label.prefix(14))))</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(length)\" height=\"18\" fill=\"#b3261e\" rx=\"2\"/>"
            out += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 18)\" font-size=\"13\" fill=\"#1f2328\">\(MoneyFormat.wan(bar.value))</text>"
        }
        return out + "</svg>"
    }
}
