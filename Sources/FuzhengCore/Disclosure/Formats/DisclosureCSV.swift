/// Tables as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read Chinese).
/// Amounts are plain numbers in 万元 with two decimals; the unit is in the header.
public enum DisclosureCSV {
    public static func table(_ t: ReportTable, bom: Bool = true) -> String {
        func cell(_ s: String) -> String {
            let guarded = s.first.map { "=+@".contains($0) } == true ? "'" + s : s
            return guarded.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + guarded.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : guarded
        }
        var lines = [headers(t).map(cell).joined(separator: ",")]
        for row in t.rows {
            lines.append(row.cells.map { cell($0.display) }.joined(separator: ","))
        }
        return (bom ? "\u{FEFF}" : "") + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Column headers, unique within the table (a field name may appear once), with the unit of amounts.
    public static func headers(_ t: ReportTable) -> [String] {
        var seen: [String: Int] = [:]
        return t.columns.map { column in
            var name = column.kind == .amount ? "\(column.title)（万元）" : column.title
            if let n = seen[name] {
                seen[name] = n + 1
                name += "（\(n + 1)）"
            } else {
                seen[name] = 1
            }
            return name
        }
    }

    /// A file name for the table: its id, which is ASCII.
    public static func fileName(_ t: ReportTable) -> String { "\(t.id).csv" }
}
