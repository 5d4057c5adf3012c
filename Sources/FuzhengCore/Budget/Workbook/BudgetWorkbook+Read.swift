import Foundation

extension BudgetWorkbook {
    /// What an uploaded workbook may be: its own size is the upload limit; expanded, a county budget's sheets are a
    /// few hundred KB, so 20 MiB per part and 60 MiB in all leave room while bounding the XML trees built from them.
    public static let limits = ArchiveLimits(maxEntries: 500, maxTotalUncompressed: 60 << 20,
                                             maxEntryUncompressed: 20 << 20, maxRatio: 100,
                                             maxCompressedSize: maxUploadBytes)
    public static let maxUploadBytes = 5 << 20
    /// Lines any one table may hold.
    public static let maxLines = 20_000

    /// The budget `base` with every editable figure taken from the workbook, or every problem found: nothing of a
    /// workbook with a problem is used. What the workbook does not hold (narrative, prior year, stated totals, the
    /// indicator framework, confirmations) stays as in `base`, except stated totals that agreed with their lines in
    /// `base`: those follow the lines, since the workbook is the new word on them (a total stated apart from its
    /// lines stays, for the rules to compare).
    public static func read(_ data: Data, into base: Budget) -> Result<Budget, WorkbookFailure> {
        read(XLSXReader.sheets(data, limits: limits), into: base)
    }

    /// The same from a package's parts, as `SafeArchive` gives them (the fuzzer starts here).
    static func read(parts: [String: Data], into base: Budget) -> Result<Budget, WorkbookFailure> {
        read(XLSXReader.sheets(parts: parts), into: base)
    }

    static func read(_ opened: Result<[XLSXSheet], WorkbookProblem>, into base: Budget)
        -> Result<Budget, WorkbookFailure> {
        let sheets: [XLSXSheet]
        switch opened {
        case .success(let s): sheets = s
        case .failure(let problem): return .failure(WorkbookFailure(problems: [problem]))
        }
        var reader = WorkbookReader(sheets: sheets, base: base)
        let budget = reader.budget()
        return reader.problems.isEmpty ? .success(budget) : .failure(WorkbookFailure(problems: reader.problems))
    }
}

/// Every problem of a workbook that was not read (a `Result` needs an `Error`, which an array is not).
public struct WorkbookFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [WorkbookProblem]

    public init(problems: [WorkbookProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// One table found in a sheet: where its heading row is and which column holds each field.
struct WorkbookTable {
    var sheet: XLSXSheet
    var spec: BudgetWorkbook.Sheet
    var headingRow: Int
    var columns: [String: Int]
    var rows: [Int]

    func value(_ row: Int, _ key: String) -> XLSXValue? { columns[key].flatMap { sheet.value(row, $0) } }
}

struct WorkbookReader {
    let sheets: [XLSXSheet]
    let base: Budget
    var problems: [WorkbookProblem] = []

    init(sheets: [XLSXSheet], base: Budget) {
        self.sheets = sheets
        self.base = base
    }

    /// Headings and labels compare without blanks, with full-width brackets and colons as ASCII, ignoring case.
    /// By scalar value: matching Characters against string literals went through Foundation's locale-aware search,
    /// the most of a read's time.
    static func normalized(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where !u.properties.isWhitespace {
            switch u.value {
            case 0xFF08: out.append("(")
            case 0xFF09: out.append(")")
            case 0xFF1A: out.append(":")
            case 0xFF0C: out.append(",")
            default: out.append(u)
            }
        }
        return String(out).lowercased()
    }

    /// How a heading may be written: Chinese, English, or both on two lines.
    static func headingForms(_ zh: String, _ en: String) -> Set<String> {
        [normalized(zh), normalized(en), normalized(zh + en)]
    }

    /// What a cell may be read as when it is a heading: all of it, or its first or last line alone.
    static func cellForms(_ cell: String) -> Set<String> {
        let lines = cell.split(whereSeparator: \.isNewline)
        var forms: Set<String> = [normalized(cell)]
        if let first = lines.first { forms.insert(normalized(String(first))) }
        if let last = lines.last { forms.insert(normalized(String(last))) }
        return forms
    }

    static func matches(_ cell: String, _ zh: String, _ en: String) -> Bool {
        !cellForms(cell).isDisjoint(with: headingForms(zh, en))
    }

    static func plainText(_ v: XLSXValue) -> String? {
        switch v {
        case .text(let s), .date(let s): s
        case .number(let n): WorkbookNumber.snapped(n, places: 0)
        default: nil
        }
    }

    // MARK: Finding tables

    func sheet(named name: String) -> XLSXSheet? {
        sheets.first { $0.name == name } ?? sheets.first { Self.normalized($0.name) == Self.normalized(name) }
    }

    mutating func table(_ spec: BudgetWorkbook.Sheet) -> WorkbookTable? {
        guard let sheet = sheet(named: spec.name) ?? sheet(named: spec.en) else {
            problems.append(WorkbookProblem(sheet: spec.name, zh: "工作簿中没有这张工作表（表名须为“\(spec.name)”）",
                                            en: "the workbook has no such sheet (it must be named “\(spec.name)”)"))
            return nil
        }
        // Normalised once: a sheet without its heading is searched cell by cell to the end.
        let headings = spec.columns.map { ($0.key, Self.headingForms($0.zh, $0.en)) }
        func found(_ row: Int) -> [String: Int] {
            var columns: [String: Int] = [:]
            for c in sheet.columns(in: row) {
                guard let v = sheet.value(row, c), let text = Self.plainText(v) else { continue }
                let forms = Self.cellForms(text)
                for (key, heading) in headings where columns[key] == nil && !forms.isDisjoint(with: heading) {
                    columns[key] = c
                    break
                }
            }
            return columns
        }
        let rows = sheet.rowNumbers
        var heading: (row: Int, columns: [String: Int])?
        for (i, r) in rows.enumerated() {
            let columns = found(r)
            guard spec.keys.allSatisfy({ columns[$0] != nil }) else { continue }
            heading = (r, columns)
            // A heading of two rows (a group over some columns) shows every field in its second row.
            var next = i + 1
            while next < rows.count, rows[next] == heading!.row + 1 {
                let more = found(rows[next])
                guard spec.keys.allSatisfy({ more[$0] != nil }), more.count >= heading!.columns.count else { break }
                heading = (rows[next], more)
                next += 1
            }
            break
        }
        guard let heading else {
            let wanted = spec.keys.map { "“\(spec.column($0).zh)”" }.joined(separator: "、")
            let wantedEn = spec.keys.map { "“\(spec.column($0).en)”" }.joined(separator: ", ")
            problems.append(WorkbookProblem(sheet: sheet.name, zh: "找不到标题行（应含\(wanted)）",
                                            en: "no heading row found (it must hold \(wantedEn))"))
            return nil
        }
        var complete = true
        for column in spec.columns where heading.columns[column.key] == nil {
            complete = false
            problems.append(WorkbookProblem(sheet: sheet.name, row: heading.row, fieldZh: column.zh, fieldEn: column.en,
                                            zh: "标题行中缺少这一列", en: "this column is missing from the heading row"))
        }
        guard complete else { return nil }
        var lines: [Int] = []
        for r in rows where r > heading.row {
            let filled = spec.columns.compactMap { c in sheet.value(r, heading.columns[c.key]!) }
            guard !filled.isEmpty else { continue }
            if spec.skipsTotals, let first = spec.columns.first, let v = sheet.value(r, heading.columns[first.key]!),
               let text = Self.plainText(v), ["合计", "总计", "小计"].contains(Self.normalized(text)) { continue }
            lines.append(r)
        }
        guard lines.count <= BudgetWorkbook.maxLines else {
            problems.append(WorkbookProblem(sheet: sheet.name, zh: "行数过多（上限 \(BudgetWorkbook.maxLines) 行）",
                                            en: "too many lines (at most \(BudgetWorkbook.maxLines))"))
            return nil
        }
        return WorkbookTable(sheet: sheet, spec: spec, headingRow: heading.row, columns: heading.columns, rows: lines)
    }

    /// A label cell anywhere in the sheet and the first filled cell to its right outside the label's merged range;
    /// nil when there is no such label, a nil value when the label has nothing beside it.
    func fact(_ sheet: XLSXSheet, _ label: (String, String)) -> (row: Int, column: Int, value: XLSXValue?)? {
        let last = sheet.lastColumn
        for r in sheet.rowNumbers {
            for (c, v) in (sheet.cells[r] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let text = Self.plainText(v), Self.matches(text, label.0, label.1) else { continue }
                let origin = sheet.origin(r, c)
                var k = c + 1
                while k <= last {
                    if sheet.origin(r, k) != origin, let value = sheet.value(r, k) { return (r, k, value) }
                    k += 1
                }
                return (r, c + 1, nil)
            }
        }
        return nil
    }

    // MARK: Cells

    func problem(_ t: WorkbookTable, _ row: Int, _ key: String, _ value: XLSXValue?, zh: String, en: String)
        -> WorkbookProblem {
        let column = t.spec.column(key)
        return WorkbookProblem(sheet: t.sheet.name, row: row, column: t.columns[key].map(DisclosureXLSX.column),
                               fieldZh: column.zh, fieldEn: column.en, value: value?.shown, zh: zh, en: en)
    }

    /// The cell's text, or a problem for a cell that holds an error or an uncomputed formula.
    mutating func raw(_ t: WorkbookTable, _ row: Int, _ key: String, required: Bool) -> String? {
        let value = t.value(row, key)
        switch value {
        case nil:
            if required { problems.append(problem(t, row, key, nil, zh: "不能为空", en: "must not be empty")) }
            return nil
        case .error(let e)?:
            problems.append(problem(t, row, key, value, zh: "单元格是错误值 \(e)", en: "the cell holds the error \(e)"))
            return nil
        case .formulaWithoutValue?:
            problems.append(problem(t, row, key, value,
                                    zh: "公式没有保存计算结果：请在 Excel 或 LibreOffice 中打开并保存后再上传",
                                    en: "the formula was saved without its result: open and save the file in Excel "
                                        + "or LibreOffice, then upload it again"))
            return nil
        case .bool?:
            problems.append(problem(t, row, key, value, zh: "不能是逻辑值", en: "must not be TRUE or FALSE"))
            return nil
        case .number(let n)?:
            return n
        case .text(let s)?, .date(let s)?:
            return s
        }
    }

    mutating func text(_ t: WorkbookTable, _ row: Int, _ key: String, required: Bool = false,
                       trim: Bool = true) -> String? {
        guard let s = raw(t, row, key, required: required) else { return nil }
        if case .number(let n)? = t.value(row, key) { return WorkbookNumber.snapped(n, places: 0) }
        return trim ? s.trimmingCharacters(in: .whitespacesAndNewlines) : s
    }

    /// An amount in 元 through `NumberInput` (0 … `Fen.maxStated`), after `WorkbookNumber`'s rule for doubles.
    mutating func amount(_ t: WorkbookTable, _ row: Int, _ key: String, required: Bool = true) -> Fen? {
        guard let s = raw(t, row, key, required: required) else { return nil }
        let value = t.value(row, key)
        switch NumberInput.amount(WorkbookNumber.snapped(s, places: 2), unit: .yuan) {
        case .success(let f): return f
        case .failure(.empty):
            if required { problems.append(problem(t, row, key, value, zh: "不能为空", en: "must not be empty")) }
        case .failure(.tooPrecise):
            problems.append(problem(t, row, key, value,
                                    zh: "“\(s)”不是整分：金额以元为单位最多两位小数（与整分相差超过 0.000001 元）",
                                    en: "“\(s)” is not a whole fen: amounts are in yuan with at most two decimals "
                                        + "(it is more than 0.000001 yuan from one)"))
        case .failure(.outOfRange(let min, let max)):
            problems.append(problem(t, row, key, value, zh: "“\(s)”超出范围（\(min)～\(max) 元）",
                                    en: "“\(s)” is out of range (\(min) to \(max) yuan)"))
        case .failure(.malformed):
            problems.append(problem(t, row, key, value, zh: "“\(s)”不是金额（元）", en: "“\(s)” is not an amount in yuan"))
        }
        return nil
    }

    mutating func quantity(_ t: WorkbookTable, _ row: Int, _ key: String, allowZero: Bool) -> Quantity? {
        guard let s = raw(t, row, key, required: true) else { return nil }
        let value = t.value(row, key)
        let low = allowZero ? Quantity(0) : Quantity(thousandths: 1)
        switch NumberInput.quantity(WorkbookNumber.snapped(s, places: 3), range: low...Quantity.maxStated) {
        case .success(let q): return q
        case .failure(.outOfRange):
            problems.append(problem(t, row, key, value,
                                    zh: "“\(s)”超出范围（\(allowZero ? "0" : "大于 0")，至多 \(Quantity.maxStated)）",
                                    en: "“\(s)” is out of range (\(allowZero ? "0" : "above 0") to "
                                        + "\(Quantity.maxStated))"))
        default:
            problems.append(problem(t, row, key, value, zh: "“\(s)”不是数量（最多三位小数）",
                                    en: "“\(s)” is not a quantity (three decimals at most)"))
        }
        return nil
    }

    mutating func percent(_ t: WorkbookTable, _ row: Int, _ key: String) -> Int? {
        guard let s = raw(t, row, key, required: false) else { return nil }
        let value = t.value(row, key)
        guard case .success(let p) = NumberInput.percent(WorkbookNumber.snapped(s, places: 0)) else {
            problems.append(problem(t, row, key, value, zh: "“\(s)”不是 0～100 的整数百分比",
                                    en: "“\(s)” is not a whole percentage from 0 to 100"))
            return nil
        }
        return p
    }

    /// One of `options` (each a value and the words that name it), or a problem listing them.
    mutating func choice<T>(_ t: WorkbookTable, _ row: Int, _ key: String, required: Bool = true,
                            _ options: [(T, [String])]) -> T? {
        guard let s = text(t, row, key, required: required) else { return nil }
        // "其中：" (of which) only says where a row stands under another.
        let bare = { (x: String) -> String in
            let n = Self.normalized(x)
            return n.hasPrefix("其中:") ? String(n.dropFirst(3)) : n
        }
        let n = bare(s)
        if let hit = options.first(where: { $0.1.contains { bare($0) == n } }) { return hit.0 }
        let list = options.compactMap { $0.1.first }.joined(separator: "、")
        problems.append(problem(t, row, key, t.value(row, key), zh: "“\(s)”不是可选的值：\(list)",
                                en: "“\(s)” is not one of: \(list)"))
        return nil
    }

    mutating func code(_ t: WorkbookTable, _ row: Int, _ key: String, in catalog: [String: String]?,
                       what: (String, String)) -> String? {
        guard var s = text(t, row, key) else { return nil }
        // A code picked with its name ("2010301 行政运行"), as the forms show it, is the code.
        s = String(s.prefix { !$0.isWhitespace })
        if let catalog, catalog[s] == nil {
            problems.append(problem(t, row, key, t.value(row, key), zh: "\(what.0)“\(s)”不在目录中",
                                    en: "\(what.1) “\(s)” is not in the catalog"))
            return nil
        }
        return s
    }
}
