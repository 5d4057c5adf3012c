import Foundation

/// One payment of the treasury's export, read and checked.
public struct PaymentRow: Sendable, Equatable {
    /// The row as the file shows it, for problems.
    public var row: Int
    public var unitCode: String
    /// Empty for a payment outside the unit's projects (基本支出).
    public var projectCode: String
    public var line: String
    public var paidOn: CivilDay
    public var plannedOn: CivilDay?
    public var amount: Fen
    public var fund: String
    public var economic: String
    public var payee: String

    /// The month it was paid: what a re-import of the same month replaces.
    public var month: String { String(paidOn.description.prefix(7)) }
}

/// The treasury export's columns (`rules/treasury-import.json`): headings a county can adapt.
public struct PaymentMapping: Sendable, Codable, Equatable {
    public struct Column: Sendable, Codable, Equatable {
        public var key: String
        public var headings: [String]
        public var en: String
        public var required: Bool
    }

    public var amountUnit: String
    public var columns: [Column]

    public static let shared: PaymentMapping = {
        do {
            return try JSONDecoder().decode(PaymentMapping.self,
                                            from: Catalogs.resource("treasury-import", "json", "rules"))
        } catch {
            preconditionFailure("rules/treasury-import.json is missing or malformed: \(error)")
        }
    }()

    var asColumns: [PeopleImport.Column] {
        columns.map { PeopleImport.Column(key: $0.key, zh: $0.headings, en: $0.en, required: $0.required) }
    }
}

/// Reads a payment export: the first sheet of an XLSX or a CSV, columns found by their headings, every row checked —
/// a known unit, a project of that unit's budget for the year (or none), a payment day within the year, a positive
/// amount within range. Every refused cell is named by file, row and column; the caller saves nothing when any is.
public enum PaymentImport {
    public static let maxRows = 200_000

    public struct Context: Sendable {
        public var year: Int
        /// Unit code → the project codes of its budget for the year.
        public var projects: [String: Set<String>]
        /// The units whose payments this person may import (nil: any).
        public var allowedUnits: Set<String>?

        public init(year: Int, projects: [String: Set<String>], allowedUnits: Set<String>?) {
            self.year = year
            self.projects = projects
            self.allowedUnits = allowedUnits
        }
    }

    public static func table(fileName: String, data: Data) -> Result<PeopleImport.Table, WorkbookProblem> {
        if data.starts(with: [0x50, 0x4B]) {
            switch XLSXReader.sheets(data, limits: ArchiveLimits()) {
            case .failure(let problem): return .failure(problem)
            case .success(let sheets):
                guard let sheet = sheets.first else {
                    return .failure(WorkbookProblem(sheet: "", zh: "工作簿中没有工作表", en: "the workbook has no sheet"))
                }
                return .success(PeopleImport.Table(name: sheet.name, rows: sheet.rowNumbers.map { row in
                    (row, Dictionary(uniqueKeysWithValues: sheet.columns(in: row).compactMap { c in
                        sheet.value(row, c).map { (c, $0.shown.trimmedSpaces) }
                    }))
                }))
            }
        }
        guard let text = String(data: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data,
                                encoding: .utf8) else {
            return .failure(WorkbookProblem(sheet: "", zh: "文件既不是 XLSX 工作簿，也不是 UTF-8 编码的 CSV",
                                            en: "the file is neither an XLSX workbook nor a UTF-8 CSV"))
        }
        let rows = CSVText.rows(text)
        return .success(PeopleImport.Table(name: fileName, isFile: true, rows: rows.enumerated().map { i, cells in
            (i + 1, Dictionary(uniqueKeysWithValues: cells.enumerated().compactMap { c, v in
                let t = v.trimmedSpaces
                return t.isEmpty ? nil : (c, t)
            }))
        }))
    }

    public static func read(_ table: PeopleImport.Table, mapping: PaymentMapping = .shared,
                            context: Context) -> (rows: [PaymentRow], problems: [WorkbookProblem]) {
        let columns = mapping.asColumns
        guard let (headRow, cols) = PeopleImport.headings(table, columns) else {
            return ([], [PeopleImport.missingHeadings(table, columns)])
        }
        let unit: MoneyUnit = mapping.amountUnit == "wan" ? .wan : .yuan
        var rows: [PaymentRow] = []
        var problems: [WorkbookProblem] = []
        func problem(_ row: Int, _ key: String, _ value: String?, zh: String, en: String) {
            let heading = columns.first { $0.key == key }
            var p = WorkbookProblem(sheet: table.name, row: row, column: cols[key].map(DisclosureXLSX.column),
                                    fieldZh: heading?.zh.first, fieldEn: heading?.en, value: value, zh: zh, en: en)
            p.inFile = table.isFile
            if problems.count < 200 { problems.append(p) }
        }
        let body = table.rows.filter { $0.0 > headRow && !$0.1.isEmpty }
        if body.count > maxRows {
            var p = WorkbookProblem(sheet: table.name, zh: "一次最多导入\(maxRows)行，本文件有\(body.count)行",
                                    en: "at most \(maxRows) rows at a time; this file has \(body.count)")
            p.inFile = table.isFile
            return ([], [p])
        }
        for (row, cells) in body {
            func cell(_ key: String) -> String { cols[key].flatMap { cells[$0] } ?? "" }
            let code = cell("unit")
            var ok = true
            if context.projects[code] == nil {
                problem(row, "unit", code, zh: "没有这个单位（或该单位本年没有预算）", en: "no such unit with a budget this year")
                ok = false
            } else if let allowed = context.allowedUnits, !allowed.contains(code) {
                problem(row, "unit", code, zh: "无权导入该单位的支付数据", en: "you may not import this unit's payments")
                ok = false
            }
            let project = cell("project")
            if ok, !project.isEmpty, !(context.projects[code]?.contains(project) ?? false) {
                problem(row, "project", project, zh: "该单位本年预算中没有这个项目", en: "not a project of this unit's budget")
                ok = false
            }
            let paid = DayInput.iso(String(cell("paidOn").prefix(10))).flatMap(CivilDay.init)
            if paid == nil {
                problem(row, "paidOn", cell("paidOn"), zh: "支付日期无效", en: "not a valid date")
                ok = false
            } else if paid?.year != context.year {
                problem(row, "paidOn", cell("paidOn"), zh: "支付日期不在\(context.year)年", en: "not in \(context.year)")
                ok = false
            }
            var planned: CivilDay?
            let plannedText = cell("plannedOn")
            if !plannedText.isEmpty {
                planned = DayInput.iso(String(plannedText.prefix(10))).flatMap(CivilDay.init)
                if planned == nil {
                    problem(row, "plannedOn", plannedText, zh: "计划支付日期无效", en: "not a valid date")
                    ok = false
                }
            }
            var amount = Fen.zero
            switch NumberInput.amount(cell("amount").replacingOccurrences(of: ",", with: ""), unit: unit) {
            case .success(let v) where v.value > 0: amount = v
            case .success:
                problem(row, "amount", cell("amount"), zh: "支付金额应大于零", en: "the amount must be above zero")
                ok = false
            case .failure:
                problem(row, "amount", cell("amount"), zh: "支付金额不是有效金额", en: "not a valid amount")
                ok = false
            }
            guard ok, let paid else { continue }
            rows.append(PaymentRow(row: row, unitCode: code, projectCode: project,
                                   line: String(cell("line").prefix(100)),
                                   paidOn: paid, plannedOn: planned, amount: amount,
                                   fund: String(cell("fund").prefix(40)), economic: String(cell("economic").prefix(40)),
                                   payee: String(cell("payee").prefix(40))))
        }
        if body.isEmpty {
            var p = WorkbookProblem(sheet: table.name, zh: "文件中没有支付记录", en: "the file holds no payments")
            p.inFile = table.isFile
            problems.append(p)
        }
        return (problems.isEmpty ? rows : [], problems)
    }
}

extension SpendingCheckpoint {
    /// "3:25,6:50,10:75,12:100": the plan in one column, for the execution pages' queries.
    public static func encode(_ plan: [SpendingCheckpoint]) -> String {
        plan.map { "\($0.month):\($0.percent)" }.joined(separator: ",")
    }

    public static func decode(_ text: String) -> [SpendingCheckpoint] {
        text.split(separator: ",").compactMap { part in
            let pair = part.split(separator: ":")
            guard pair.count == 2, let m = Int(pair[0]), let p = Int(pair[1]), (1...12).contains(m),
                  (0...100).contains(p) else { return nil }
            return SpendingCheckpoint(month: m, percent: p)
        }
    }
}
