import Foundation

/// A person as the organisation holds them, to compare an import against.
public struct PersonRecord: Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var unitCode: String
    public var sectionCode: String?
    public var title: String
    public var assignments: [RoleAssignment]
    public var isActive: Bool

    public init(username: String, displayName: String, unitCode: String, sectionCode: String? = nil, title: String = "",
                assignments: [RoleAssignment], isActive: Bool = true) {
        self.username = username
        self.displayName = displayName
        self.unitCode = unitCode
        self.sectionCode = sectionCode
        self.title = title
        self.assignments = assignments
        self.isActive = isActive
    }

    /// "单位 434001 → 436001；角色 …", the fields that differ, for the preview and the audit trail.
    public func changes(to other: PersonRecord) -> [String] {
        var out: [String] = []
        if displayName != other.displayName { out.append("姓名 \(displayName) → \(other.displayName)") }
        if unitCode != other.unitCode { out.append("单位 \(unitCode) → \(other.unitCode)") }
        if sectionCode != other.sectionCode {
            out.append("科室 \(sectionCode ?? "—") → \(other.sectionCode ?? "—")")
        }
        if title != other.title { out.append("职务 \(title.isEmpty ? "—" : title) → \(other.title.isEmpty ? "—" : other.title)") }
        if assignments != other.assignments {
            out.append("角色 \(PeopleImport.rolesText(assignments)) → \(PeopleImport.rolesText(other.assignments))")
        }
        if isActive != other.isActive { out.append(other.isActive ? "重新启用" : "停用（离职）") }
        return out
    }
}

/// A unit as an import sheet describes it.
public struct UnitRecord: Sendable, Equatable {
    public var code: String
    public var name: String
    public var departmentCode: String
    public var nature: String
    public var grade: String
    public var fundingForm: String

    public init(code: String, name: String, departmentCode: String, nature: String, grade: String,
        fundingForm: String) {
        self.code = code
        self.name = name
        self.departmentCode = departmentCode
        self.nature = nature
        self.grade = grade
        self.fundingForm = fundingForm
    }
}

/// What an import would do, computed against the organisation as it stands.
public struct PeoplePlan: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case create(PersonRecord)
        case update(before: PersonRecord, after: PersonRecord, changes: [String])
        case unchanged(String)
    }

    public var units: [(UnitRecord, isNew: Bool)] = []
    public var people: [Step] = []
    public var problems: [WorkbookProblem] = []

    public init() {}

    public var creates: [PersonRecord] { people.compactMap { if case .create(let p) = $0 { p } else { nil } } }
    public var updates: [(before: PersonRecord, after: PersonRecord, changes: [String])] {
        people.compactMap { if case .update(let b, let a, let c) = $0 { (b, a, c) } else { nil } }
    }
    public var unchangedCount: Int { people.filter { if case .unchanged = $0 { true } else { false } }.count }

    /// A fingerprint of what will happen, so that a confirmation applies exactly what was previewed.
    public var fingerprint: String {
        var parts = units.map { "U\($0.0.code)|\($0.0.name)|\($0.0.departmentCode)|\($0.isNew)" }
        for step in people {
            switch step {
            case .create(let p): parts.append("C\(p.username)|\(p.unitCode)|\(PeopleImport.rolesText(p.assignments))")
            case .update(_, let a, let c): parts.append("M\(a.username)|\(c.joined(separator: ";"))")
            case .unchanged(let u): parts.append("=\(u)")
            }
        }
        return SM3.hexDigest(parts.joined(separator: "\n"))
    }

    public static func == (a: PeoplePlan, b: PeoplePlan) -> Bool {
        a.fingerprint == b.fingerprint && a.problems == b.problems
    }
}

/// Bringing a county's people (and new units) into a running platform from an XLSX workbook or a CSV file: sheets
/// 人员 (people) and optionally 单位 (units); a CSV is one of the two, told apart by its headings. Columns are found by
/// their heading words, in any order. Every refused cell is named by file, sheet, row and column; a plan with
/// problems is applied not at all.
public enum PeopleImport {
    public struct Column: Sendable {
        public var key: String
        public var zh: [String]
        public var en: String
        public var required: Bool
    }

    public static let peopleColumns: [Column] = [
        Column(key: "username", zh: ["用户名", "账号"], en: "username", required: true),
        Column(key: "name", zh: ["姓名"], en: "name", required: true),
        Column(key: "unit", zh: ["单位代码"], en: "unit code", required: true),
        Column(key: "roles", zh: ["角色"], en: "roles", required: true),
        Column(key: "section", zh: ["科室", "内设机构"], en: "section", required: false),
        Column(key: "title", zh: ["职务"], en: "title", required: false),
        Column(key: "status", zh: ["状态", "在职状态"], en: "status", required: false),
    ]

    public static let unitColumns: [Column] = [
        Column(key: "code", zh: ["单位代码"], en: "unit code", required: true),
        Column(key: "name", zh: ["单位名称"], en: "unit name", required: true),
        Column(key: "department", zh: ["部门代码", "主管部门代码"], en: "department code", required: true),
        Column(key: "nature", zh: ["单位性质"], en: "nature", required: true),
        Column(key: "grade", zh: ["单位级别", "级别"], en: "grade", required: true),
        Column(key: "funding", zh: ["经费形式"], en: "funding form", required: true),
    ]

    public static let maxRows = 20_000

    /// A table read from a file: its place name (the CSV's file name, or the sheet's name) and rows of text cells.
    public struct Table: Sendable {
        public var name: String
        /// A CSV file rather than a workbook's sheet, for how problems name the place.
        public var isFile = false
        /// (row number as shown, cells by 0-based column)
        public var rows: [(Int, [Int: String])]

        public init(name: String, isFile: Bool = false, rows: [(Int, [Int: String])]) {
            self.name = name
            self.isFile = isFile
            self.rows = rows
        }
    }

    public struct Sheets: Sendable {
        public var people: Table?
        public var units: Table?
    }

    /// Reads the tables of an upload: a workbook by its sheets' names, a CSV by its headings.
    public static func tables(fileName: String, data: Data) -> Result<Sheets, WorkbookProblem> {
        if data.starts(with: [0x50, 0x4B]) {
            switch XLSXReader.sheets(data, limits: ArchiveLimits()) {
            case .failure(let problem): return .failure(problem)
            case .success(let sheets):
                func table(_ names: [String]) -> Table? {
                    guard let sheet = sheets.first(where: { s in names.contains { s.name.contains($0) } }) else {
                        return nil
                    }
                    return Table(name: sheet.name, rows: sheet.rowNumbers.map { row in
                        (row, Dictionary(uniqueKeysWithValues: sheet.columns(in: row).compactMap { c in
                            sheet.value(row, c).map { (c, $0.shown.trimmingCharacters(in: .whitespaces)) }
                        }))
                    })
                }
                var found = Sheets(people: table(["人员", "用户", "people", "People"]),
                                   units: table(["单位", "units", "Units"]))
                if found.people == nil && found.units == nil, let first = sheets.first {
                    found.people = Table(name: first.name, rows: [])
                }
                guard found.people != nil || found.units != nil else {
                    return .failure(WorkbookProblem(sheet: "", zh: "工作簿中没有“人员”或“单位”工作表",
                                                    en: "the workbook has no 人员 (people) or 单位 (units) sheet"))
                }
                return .success(found)
            }
        }
        guard let text = String(data: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data,
                                encoding: .utf8) else {
            return .failure(WorkbookProblem(sheet: "", zh: "文件既不是 XLSX 工作簿，也不是 UTF-8 编码的 CSV",
                                            en: "the file is neither an XLSX workbook nor a UTF-8 CSV"))
        }
        let rows = CSVText.rows(text)
        let table = Table(name: fileName, isFile: true, rows: rows.enumerated().map { i, cells in
            (i + 1, Dictionary(uniqueKeysWithValues: cells.enumerated().compactMap { c, v in
                let t = v.trimmingCharacters(in: .whitespaces)
                return t.isEmpty ? nil : (c, t)
            }))
        })
        let heading = rows.first?.joined(separator: "|") ?? ""
        if heading.contains("单位名称") && !heading.contains("用户名") { return .success(Sheets(people: nil, units: table)) }
        return .success(Sheets(people: table, units: nil))
    }

    /// The organisation an import is planned against.
    public struct Context: Sendable {
        public var people: [String: PersonRecord]
        public var units: [String: UnitRecord]
        public var departments: Set<String>
        /// Section code → name, and name → code, for the 科室 column.
        public var sections: [String: String]
        public var catalog: UnitAttributeCatalog

        public init(people: [PersonRecord], units: [UnitRecord], departments: Set<String>, sections: [String: String],
                    catalog: UnitAttributeCatalog = .shared) {
            self.people = Dictionary(people.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
            self.units = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            self.departments = departments
            self.sections = sections
            self.catalog = catalog
        }
    }

    public static func plan(_ sheets: Sheets, against context: Context) -> PeoplePlan {
        var plan = PeoplePlan()
        var unitCodes = Set(context.units.keys)
        if let table = sheets.units { readUnits(table, context: context, into: &plan, codes: &unitCodes) }
        if let table = sheets.people {
            readPeople(table, context: context, unitCodes: unitCodes, into: &plan)
        }
        if sheets.people == nil && sheets.units == nil {
            plan.problems.append(WorkbookProblem(sheet: "", zh: "文件中没有可导入的内容", en: "the file holds nothing to import"))
        }
        return plan
    }

    /// Heading row (the first row holding a required heading) and the column of each key.
    static func headings(_ table: Table, _ columns: [Column]) -> (row: Int, columns: [String: Int])? {
        for (row, cells) in table.rows.prefix(10) {
            var found: [String: Int] = [:]
            for (c, text) in cells {
                let t = text.replacingOccurrences(of: " ", with: "")
                if let col = columns.first(where: { col in
                    col.zh.contains { t.hasPrefix($0) } || t.lowercased().hasPrefix(col.en)
                }), found[col.key] == nil {
                    found[col.key] = c
                }
            }
            if columns.filter(\.required).allSatisfy({ found[$0.key] != nil }) { return (row, found) }
        }
        return nil
    }

    static func missingHeadings(_ table: Table, _ columns: [Column]) -> WorkbookProblem {
        let names = columns.filter(\.required).map { $0.zh[0] }.joined(separator: "、")
        let en = columns.filter(\.required).map(\.en).joined(separator: ", ")
        var problem = WorkbookProblem(sheet: table.name, row: 1, zh: "找不到表头，需要列：\(names)",
                                      en: "no heading row found; the columns needed are: \(en)")
        problem.inFile = table.isFile
        return problem
    }

    static func readUnits(_ table: Table, context: Context, into plan: inout PeoplePlan, codes: inout Set<String>) {
        guard let (headRow, cols) = headings(table, unitColumns) else {
            plan.problems.append(missingHeadings(table, unitColumns))
            return
        }
        var seen: [String: Int] = [:]
        for (row, cells) in table.rows where row > headRow && !cells.isEmpty {
            func cell(_ key: String) -> String { cols[key].flatMap { cells[$0] } ?? "" }
            func problem(_ key: String, _ zh: String, _ en: String) {
                let column = unitColumns.first { $0.key == key }!
                var found = WorkbookProblem(sheet: table.name, row: row, column: cols[key].map(DisclosureXLSX.column),
                                            fieldZh: column.zh[0], fieldEn: column.en, value: cell(key), zh: zh, en: en)
                found.inFile = table.isFile
                plan.problems.append(found)
            }
            let unit = UnitRecord(code: cell("code"), name: cell("name"), departmentCode: cell("department"),
                                  nature: cell("nature"), grade: cell("grade"), fundingForm: cell("funding"))
            if let first = seen[unit.code] {
                problem("code", "与第 \(first) 行重复", "repeats row \(first)")
                continue
            }
            seen[unit.code] = row
            let draft = UnitDraft(code: unit.code, name: unit.name, departmentCode: unit.departmentCode,
                                  nature: unit.nature, grade: unit.grade, fundingForm: unit.fundingForm)
            let errors = draft.validate(catalog: context.catalog)
            let fieldKeys = ["code": "code", "name": "name", "nature": "nature", "grade": "grade",
                             "fundingForm": "funding", "departmentCode": "department"]
            for (field, _) in errors.sorted(by: { $0.key < $1.key }) {
                let key = fieldKeys[field] ?? "code"
                switch key {
                case "code": problem(key, "单位代码应为 6 位数字，前 3 位是部门代码",
                                     "a unit code is 6 digits beginning with its department's 3")
                case "name": problem(key, "单位名称不能为空，且不超过 100 字", "the name is empty or over 100 characters")
                default: problem(key, "不是目录中的取值", "is not a value of the catalog")
                }
            }
            if !context.departments.contains(unit.departmentCode) {
                problem("department", "没有这个部门，请先由系统管理员建立部门", "no such department; create it first")
            }
            guard errors.isEmpty && context.departments.contains(unit.departmentCode) else { continue }
            let existing = context.units[unit.code]
            if existing != unit { plan.units.append((unit, isNew: existing == nil)) }
            codes.insert(unit.code)
        }
    }

    static func readPeople(_ table: Table, context: Context, unitCodes: Set<String>, into plan: inout PeoplePlan) {
        guard let (headRow, cols) = headings(table, peopleColumns) else {
            plan.problems.append(missingHeadings(table, peopleColumns))
            return
        }
        let scopeCodes = unitCodes.union(context.departments)
        var seen: [String: Int] = [:]
        var rowCount = 0
        for (row, cells) in table.rows where row > headRow && !cells.isEmpty {
            rowCount += 1
            if rowCount > maxRows {
                var found = WorkbookProblem(sheet: table.name, row: row, zh: "一次最多导入 \(maxRows) 人",
                                            en: "at most \(maxRows) people per import")
                found.inFile = table.isFile
                plan.problems.append(found)
                return
            }
            func cell(_ key: String) -> String { cols[key].flatMap { cells[$0] } ?? "" }
            var rowOK = true
            func problem(_ key: String, _ zh: String, _ en: String) {
                rowOK = false
                let column = peopleColumns.first { $0.key == key }!
                var found = WorkbookProblem(sheet: table.name, row: row, column: cols[key].map(DisclosureXLSX.column),
                                            fieldZh: column.zh[0], fieldEn: column.en, value: cell(key), zh: zh, en: en)
                found.inFile = table.isFile
                plan.problems.append(found)
            }
            let username = cell("username").lowercased()
            if !UserDraft.isValidUsername(username) {
                problem("username", "用户名为 3–32 位小写字母、数字或 . _ -", "3–32 lower-case letters, digits, . _ or -")
            } else if let first = seen[username] {
                problem("username", "与第 \(first) 行重复", "repeats row \(first)")
            }
            seen[username] = seen[username] ?? row
            let name = cell("name")
            if name.isEmpty || name.count > 50 { problem("name", "姓名不能为空，且不超过 50 字", "empty or over 50 characters") }
            let unit = cell("unit")
            if !unitCodes.contains(unit) { problem("unit", "没有这个单位", "no such unit") }
            var section: String?
            let sectionText = cell("section")
            if !sectionText.isEmpty {
                if context.sections[sectionText] != nil {
                    section = sectionText
                } else if let code = context.sections.first(where: { $0.value == sectionText })?.key {
                    section = code
                } else {
                    problem("section", "没有这个内设机构", "no such section")
                }
            }
            let title = cell("title")
            if title.count > 30 { problem("title", "职务不超过 30 字", "over 30 characters") }
            var active = true
            switch cell("status") {
            case "", "在职", "active": active = true
            case "离职", "停用", "inactive", "left": active = false
            default: problem("status", "状态应为“在职”或“离职”", "status is 在职 (active) or 离职 (left)")
            }
            var assignments: [RoleAssignment] = []
            switch parseRoles(cell("roles")) {
            case .failure(let reason): problem("roles", reason.zh, reason.en)
            case .success(let parsed):
                assignments = parsed
                let errors = RoleAssignments.validate(parsed, knownUnits: scopeCodes)
                if errors["roles"] == "user.error.adminExclusive" {
                    problem("roles", "管理员（三员）只能有这一个角色，不能兼任业务角色",
                            "an administrator holds that one role only, never a business role (三员分立)")
                } else if errors["roles"] != nil {
                    problem("roles", "角色重复或为空", "a role is repeated or missing")
                }
                if errors["units"] != nil {
                    problem("roles", "范围中的单位或部门代码不存在", "a unit or department code in the scope does not exist")
                }
                if parsed.contains(where: { $0.scope == .section }) && section == nil && sectionText.isEmpty {
                    problem("section", "角色范围为“本科室”时须填写科室", "a section scope needs the section")
                }
            }
            guard rowOK else { continue }
            let after = PersonRecord(username: username, displayName: name, unitCode: unit, sectionCode: section,
                                     title: title, assignments: assignments, isActive: active)
            if let before = context.people[username] {
                if before.assignments.contains(where: \.role.isAdministrator)
                    && !assignments.contains(where: \.role.isAdministrator) {
                    problem("roles", "管理员账号不能改为业务角色，请另建账号",
                            "an administrator's account cannot become a business account; create another")
                    continue
                }
                let changes = before.changes(to: after)
                plan.people.append(changes.isEmpty ? .unchanged(username)
                                   : .update(before: before, after: after, changes: changes))
            } else if active {
                plan.people.append(.create(after))
            } else {
                plan.people.append(.unchanged(username))
            }
        }
    }

    public struct Reason: Error, Sendable, Equatable {
        public var zh: String
        public var en: String
    }

    /// Role names as a clerk writes them, Chinese or the platform's key.
    public static let roleNames: [String: Role] = {
        var names: [String: Role] = [
            "系统管理员": .systemAdmin, "安全管理员": .securityAdmin, "审计管理员": .auditAdmin,
            "单位财务": .unitFinance, "财务": .unitFinance, "单位负责人": .unitHead, "财政审核": .financeReviewer,
            "办公人员": .officeStaff, "领导": .leader, "文书": .clerk, "核稿": .checker, "档案员": .archivist,
            "督查室": .inspector, "督查": .inspector, "信息员": .informationOfficer,
        ]
        for role in Role.allCases { names[role.rawValue] = role }
        return names
    }()

    /// Roles written as 文书（本科室）；领导（分管：436、437）；督查室（全县）；单位财务 — each with its scope in brackets,
    /// or the role's default scope.
    public static func parseRoles(_ text: String) -> Result<[RoleAssignment], Reason> {
        let normalised = text.replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
        var parts: [String] = []
        var current = "", depth = 0
        for ch in normalised {
            if ch == "（" { depth += 1 }
            if ch == "）" { depth = max(0, depth - 1) }
            if depth == 0 && "；;，,、/".contains(ch) {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        var out: [RoleAssignment] = []
        for part in parts.map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let name = part.split(separator: "（", maxSplits: 1).first.map(String.init) ?? part
            guard let role = roleNames[name.trimmingCharacters(in: .whitespaces)] else {
                return .failure(Reason(zh: "不认识的角色“\(name)”", en: "unknown role \(name)"))
            }
            guard let open = part.firstIndex(of: "（") else {
                out.append(RoleAssignment(role: role))
                continue
            }
            let inner = part[part.index(after: open)...].replacingOccurrences(of: "）", with: "")
                .trimmingCharacters(in: .whitespaces)
            switch inner {
            case "本科室", "科室", "section": out.append(RoleAssignment(role: role, scope: .section))
            case "本单位", "单位", "unit": out.append(RoleAssignment(role: role, scope: .unit))
            case "全县", "county": out.append(RoleAssignment(role: role, scope: .county))
            default:
                var list = inner
                for prefix in ["分管：", "分管:", "单位：", "单位:", "分管", "units:"] where list.hasPrefix(prefix) {
                    list = String(list.dropFirst(prefix.count))
                    break
                }
                let codes = list.split(whereSeparator: { "、，, 　".contains($0) }).map(String.init)
                guard !codes.isEmpty,
                    codes.allSatisfy({ ($0.count == 3 || $0.count == 6) && $0.allSatisfy(\.isASCIIDigit) })
                else {
                    return .failure(Reason(zh: "“\(part)”的范围应为 本科室、本单位、全县 或 分管：单位代码",
                                           en: "the scope of \(part) is 本科室, 本单位, 全县 or 分管：codes"))
                }
                out.append(RoleAssignment(role: role, scope: .units, units: codes))
            }
        }
        if out.isEmpty { return .failure(Reason(zh: "至少填写一个角色", en: "at least one role")) }
        return .success(out)
    }

    /// The inverse of `parseRoles`, as the preview and the export show roles.
    public static func rolesText(_ assignments: [RoleAssignment]) -> String {
        let zh = Dictionary(roleNames.filter { $0.key.unicodeScalars.first.map { $0.value > 0x7F } ?? false }
            .map { ($0.value, $0.key) }, uniquingKeysWith: { a, b in a.count >= b.count ? a : b })
        return assignments.map { a in
            let name = zh[a.role] ?? a.role.rawValue
            if a.scope == a.role.defaultScope && a.scope != .units { return name }
            switch a.scope {
            case .section: return "\(name)（本科室）"
            case .unit: return "\(name)（本单位）"
            case .county: return "\(name)（全县）"
            case .units: return "\(name)（\(a.role == .leader ? "分管：" : "单位：")\(a.units.joined(separator: "、"))）"
            }
        }.joined(separator: "；")
    }
}

/// RFC 4180 text: quoted fields may hold commas, quotes ("") and line breaks.
public enum CSVText {
    public static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let ch = next() {
            if quoted {
                if ch == "\"" {
                    if let after = next() {
                        if after == "\"" { field.append("\"") } else { quoted = false; pending = after }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(ch)
                }
                continue
            }
            switch ch {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\n", "\r\n", "\r":
                row.append(field); field = ""
                rows.append(row); row = []
            default: field.append(ch)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}

/// A workbook of plain text sheets (an import template, a register's export): every cell a string, the first row bold.
public enum PlainWorkbook {
    public static func make(_ sheets: [(name: String, rows: [[String]])]) -> Data {
        BudgetWorkbook.package(sheets.map { sheet in
            let widths = (0..<(sheet.rows.map(\.count).max() ?? 1)).map { _ in 18.0 }
            var w = XLSXSheetWriter(widths: widths)
            for (i, row) in sheet.rows.enumerated() {
                w.row(row.map { .text($0, style: i == 0 ? XLSXSheetWriter.Style.header : XLSXSheetWriter.Style.text) })
            }
            w.frozenRows = 1
            return (sheet.name, w.xml)
        })
    }
}

extension PeopleImport {

    /// The template a county fills in: the headings of both sheets and one example row each.
    public static var template: Data {
        PlainWorkbook.make([
            (name: "人员", rows: [peopleColumns.map { $0.zh[0] },
                                  ["zhangsan", "张三", "434001", "文书（本科室）；信息员", "文电科", "科员", "在职"]]),
            (name: "单位", rows: [unitColumns.map { $0.zh[0] },
                                  ["434002", "某某中心（示例）", "434", "事业", "股级", "财政拨款（事业）"]]),
        ])
    }
}
