/// Something in an uploaded budget workbook that cannot be read, with where it is: the sheet as the workbook names
/// it, the row and column as a spreadsheet shows them (7, "H"), the field, and the value found there.
public struct WorkbookProblem: Sendable, Equatable, Error, CustomStringConvertible {
    /// Empty for the file as a whole (not a workbook, a zip bomb …).
    public var sheet: String
    public var row: Int?
    public var column: String?
    public var fieldZh: String?
    public var fieldEn: String?
    /// The cell's content as stored, shortened.
    public var value: String?
    public var reasonZh: String
    public var reasonEn: String
    /// The place is a file of its own (a CSV), not a sheet of a workbook.
    public var inFile = false

    public init(sheet: String, row: Int? = nil, column: String? = nil, fieldZh: String? = nil, fieldEn: String? = nil,
                value: String? = nil, zh: String, en: String) {
        self.sheet = sheet
        self.row = row
        self.column = column
        self.fieldZh = fieldZh
        self.fieldEn = fieldEn
        self.value = value.map(Self.shortened)
        self.reasonZh = zh
        self.reasonEn = en
    }

    /// "工作表“支出”第 7 行 H 列〔金额（元）〕"
    public var placeZh: String {
        guard !sheet.isEmpty else { return "文件" }
        var s = inFile ? "文件“\(sheet)”" : "工作表“\(sheet)”"
        if let row { s += "第 \(row) 行" }
        if let column { s += " \(column) 列" }
        if let fieldZh { s += "〔\(fieldZh)〕" }
        return s
    }

    /// "sheet 支出, row 7, column H [Amount (yuan)]"
    public var placeEn: String {
        guard !sheet.isEmpty else { return "the file" }
        var s = inFile ? "file \(sheet)" : "sheet \(sheet)"
        if let row { s += ", row \(row)" }
        if let column { s += ", column \(column)" }
        if let fieldEn { s += " [\(fieldEn)]" }
        return s
    }

    public var messageZh: String { "\(placeZh)：\(reasonZh)" }
    public var messageEn: String { "\(placeEn): \(reasonEn)" }
    public var description: String { "\(messageZh) / \(messageEn)" }

    static func shortened(_ s: String) -> String {
        let cleaned = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 ? " " : $0 }))
        return cleaned.count > 60 ? String(cleaned.prefix(60)) + "…" : cleaned
    }
}
