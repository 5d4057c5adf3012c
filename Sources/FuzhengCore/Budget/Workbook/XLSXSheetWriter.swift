import Foundation

/// Writes one worksheet's XML: typed cells, merged ranges, column widths and frozen heading rows.
struct XLSXSheetWriter {
    enum Cell {
        /// An inline string, so the text is never taken for a number (2010301, 0301 stay as written).
        case text(String, style: Int)
        /// A number as exact decimal text ("20018900.00", "2.5", "25").
        case number(String, style: Int)
    }

    /// Styles of `BudgetWorkbook.styles`.
    enum Style {
        static let plain = 0
        static let amount = 1
        static let header = 2
        static let text = 3
        static let title = 4
        static let longText = 5
        static let number = 6
    }

    var widths: [Double]
    var frozenRows = 0
    private var rows: [String] = []
    private var merges: [String] = []

    init(widths: [Double]) { self.widths = widths }

    var nextRow: Int { rows.count + 1 }

    mutating func row(_ cells: [Cell?], height: Double? = nil) {
        let r = nextRow
        let body = cells.enumerated().compactMap { i, cell -> String? in
            guard let cell else { return nil }
            let ref = "\(DisclosureXLSX.column(i))\(r)"
            switch cell {
            case .text(let s, let style):
                return "<c r=\"\(ref)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                    + "\(Markup.escape(s))</t></is></c>"
            case .number(let v, let style):
                return "<c r=\"\(ref)\" s=\"\(style)\"><v>\(v)</v></c>"
            }
        }.joined()
        let h = height.map { " ht=\"\($0)\" customHeight=\"1\"" } ?? ""
        rows.append("<row r=\"\(r)\"\(h)>\(body)</row>")
    }

    /// Merges rows × columns (0-based columns) into the range's first cell.
    mutating func merge(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        merges.append("<mergeCell ref=\"\(DisclosureXLSX.column(columns.lowerBound))\(rows.lowerBound):"
                      + "\(DisclosureXLSX.column(columns.upperBound))\(rows.upperBound)\"/>")
    }

    var xml: String {
        let cols = widths.enumerated().map { i, w in
            "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(w)\" customWidth=\"1\"/>"
        }.joined()
        let pane = frozenRows > 0
            ? "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(frozenRows)\" "
                + "topLeftCell=\"A\(frozenRows + 1)\" "
                + "activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            : ""
        let mergeCells = merges.isEmpty ? "" : "<mergeCells count=\"\(merges.count)\">\(merges.joined())</mergeCells>"
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\(pane)\
        <cols>\(cols)</cols><sheetData>\(rows.joined())</sheetData>\(mergeCells)</worksheet>
        """
    }
}
