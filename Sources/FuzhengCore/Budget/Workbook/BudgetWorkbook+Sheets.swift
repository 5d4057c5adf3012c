import Foundation

/// Each sheet read into the budget's parts; every cell that cannot be read adds a problem naming it.
extension WorkbookReader {
    mutating func budget() -> Budget {
        var b = base
        checkAbout()
        if let t = table(BudgetWorkbook.revenue) { b.revenue = revenue(t) }
        if let t = table(BudgetWorkbook.expenditure) { b.expenditure = expenditure(t) }
        if let t = table(BudgetWorkbook.threePublic) { b.threePublic.items = threePublic(t) }
        if let t = table(BudgetWorkbook.operating), let costs = operating(t) { b.operatingCosts = costs }
        if let t = table(BudgetWorkbook.projects) {
            b.projects = projects(t)
            if let i = table(BudgetWorkbook.indicators) { indicators(i, into: &b.projects) }
        }
        if let t = table(BudgetWorkbook.procurement) { b.procurement = procurement(t) }
        assets(into: &b)
        Self.carryStatedTotals(from: base, into: &b)
        return b
    }

    /// Totals that agreed with their lines before follow the new lines; the others stay as stated. Then, as every
    /// form does on saving, totals nobody stated are filled from the lines.
    static func carryStatedTotals(from base: Budget, into b: inout Budget) {
        for figure in StatedFigure.allCases where base.stated[figure] == base.derived(figure) {
            b.stated[figure] = b.derived(figure)
        }
        if base.threePublic.statedTotal == base.threePublic.items.total {
            b.threePublic.statedTotal = b.threePublic.items.total
        }
        for item in ChangeItem.allCases where base.prior.statedChanges[item] == base.change(item) {
            b.prior.statedChanges[item] = b.change(item)
        }
        b.fillUnstatedTotals()
    }

    static let sources: [(RevenueSource, [String])] = RevenueSource.allCases.map { source in
        var names = [source.nameZh, source.nameZh + "收入", source.rawValue]
        if source == .specialAccount { names += ["财政专户核拨", "财政专户管理资金收入"] }
        if source == .governmentFund { names += ["政府性基金拨款"] }
        return (source, names)
    }

    // MARK: About

    mutating func checkAbout() {
        let about = BudgetWorkbook.about
        guard let sheet = sheet(named: about.name) ?? sheet(named: about.en) else { return }
        let field = BudgetWorkbook.Fact.self
        if let (r, c, value) = fact(sheet, field.year), let value {
            let text = Self.plainText(value) ?? value.shown
            if text.trimmingCharacters(in: .whitespaces) != String(base.fiscalYear) {
                problems.append(WorkbookProblem(sheet: sheet.name, row: r, column: DisclosureXLSX.column(c),
                                                fieldZh: field.year.0, fieldEn: field.year.1, value: text,
                                                zh: "这是 \(text) 年预算的工作簿，不是 \(base.fiscalYear) 年的",
                                                en: "this workbook is for the \(text) budget, not \(base.fiscalYear)"))
            }
        }
        if let (r, c, value) = fact(sheet, field.department), let value {
            let text = (Self.plainText(value) ?? value.shown).trimmingCharacters(in: .whitespaces)
            if text != base.department.code {
                problems.append(WorkbookProblem(sheet: sheet.name, row: r, column: DisclosureXLSX.column(c),
                                                fieldZh: field.department.0, fieldEn: field.department.1, value: text,
                                                zh: "这是部门 \(text) 的工作簿，不是 \(base.department.code) 的",
                                                en: "this workbook is department \(text)'s, "
                                                    + "not \(base.department.code)'s"))
            }
        }
    }

    // MARK: Figures

    mutating func revenue(_ t: WorkbookTable) -> [RevenueLine] {
        t.rows.compactMap { r in
            let source = choice(t, r, "source", Self.sources)
            let amount = amount(t, r, "amount")
            guard let source, let amount else { return nil }
            return RevenueLine(source: source, amount: amount)
        }
    }

    mutating func expenditure(_ t: WorkbookTable) -> [ExpenditureLine] {
        let catalogs = Catalogs.shared
        return t.rows.compactMap { r in
            let kind = choice(t, r, "kind", [(ExpenditureKind.basic, ["基本支出", "basic"]),
                                             (ExpenditureKind.project, ["项目支出", "project"])])
            let category = choice(t, r, "category", required: false,
                                  [(BasicCategory.personnel, ["人员经费", "personnel"]),
                                   (BasicCategory.publicUse, ["日常公用经费", "公用经费", "public_use"])])
            let project = text(t, r, "project").flatMap { $0.isEmpty ? nil : $0 }
            if kind == .project && project == nil {
                problems.append(problem(t, r, "project", nil, zh: "项目支出须填写项目代码",
                                        en: "a project line needs its project code"))
            }
            let label = text(t, r, "label").flatMap { $0.isEmpty ? nil : $0 }
            let function = code(t, r, "function", in: catalogs.functionClassification,
                                what: ("功能分类科目编码", "Function code"))
            let economic = code(t, r, "economic", in: catalogs.departmentEconomic,
                                what: ("部门经济分类科目编码", "Economic code"))
            let government = code(t, r, "government", in: catalogs.governmentEconomic,
                                  what: ("政府经济分类科目编码", "Government economic code"))
            let fund = choice(t, r, "fund", Self.sources)
            let amount = amount(t, r, "amount")
            guard let kind, let fund, let amount else { return nil }
            return ExpenditureLine(kind: kind, basicCategory: category, projectCode: project, label: label,
                                   functionCode: function, economicCode: economic, governmentEconomicCode: government,
                                   fundSource: fund, amount: amount)
        }
    }

    mutating func threePublic(_ t: WorkbookTable) -> ThreePublicItems {
        var items = ThreePublicItems()
        var seen: [Int: Int] = [:]
        let subtotals = ["公务用车购置及运行维护费", "公务用车购置及运维费", "公务用车购置及运行费"].map(Self.normalized)
        let options = BudgetWorkbook.threePublicItems.enumerated().map { ($0.offset, [$0.element.zh, $0.element.en]) }
        for r in t.rows {
            if let label = t.value(r, "item").flatMap(Self.plainText), subtotals.contains(Self.normalized(label)) {
                continue
            }
            guard let index = choice(t, r, "item", options) else { continue }
            if let first = seen[index] {
                problems.append(problem(t, r, "item", t.value(r, "item"), zh: "与第 \(first) 行重复",
                                        en: "repeats row \(first)"))
                continue
            }
            seen[index] = r
            if let value = amount(t, r, "amount") {
                items[keyPath: BudgetWorkbook.threePublicItems[index].path] = value
            }
        }
        missingRows(t, labels: BudgetWorkbook.threePublicItems.map { ($0.zh, $0.en) }, seen: Set(seen.keys))
        return items
    }

    mutating func missingRows(_ t: WorkbookTable, labels: [(String, String)], seen: Set<Int>) {
        for (i, label) in labels.enumerated() where !seen.contains(i) {
            let first = t.spec.columns[0]
            problems.append(WorkbookProblem(sheet: t.sheet.name, fieldZh: first.zh, fieldEn: first.en,
                                            zh: "缺少“\(label.0)”一行", en: "the row “\(label.0)” (\(label.1)) is missing"))
        }
    }

    mutating func operating(_ t: WorkbookTable) -> OperatingCosts? {
        guard let r = t.rows.first else {
            problems.append(WorkbookProblem(sheet: t.sheet.name, row: t.headingRow + 1, zh: "标题行下没有数据行",
                                            en: "there is no line under the heading row"))
            return nil
        }
        for extra in t.rows.dropFirst() {
            problems.append(WorkbookProblem(sheet: t.sheet.name, row: extra, zh: "这张表只能有一行数据",
                                            en: "this sheet holds one line only"))
        }
        let use = text(t, r, "use", trim: false) ?? ""
        guard let amount = amount(t, r, "amount") else { return nil }
        return OperatingCosts(amount: amount, use: use)
    }

    // MARK: Projects

    mutating func projects(_ t: WorkbookTable) -> [Project] {
        var seen: [String: Int] = [:]
        return t.rows.compactMap { r in
            let code = text(t, r, "code", required: true)
            if let code, let first = seen[code] {
                problems.append(problem(t, r, "code", t.value(r, "code"), zh: "项目代码与第 \(first) 行重复",
                                        en: "the project code repeats row \(first)"))
                return nil
            }
            if let code { seen[code] = r }
            let name = text(t, r, "name", required: true)
            let document = text(t, r, "document").flatMap { $0.isEmpty ? nil : $0 }
            let amount = amount(t, r, "amount")
            let fiscal = t.value(r, "fiscal") == nil ? .zero : self.amount(t, r, "fiscal")
            let other = t.value(r, "other") == nil ? .zero : self.amount(t, r, "other")
            var plan: [SpendingCheckpoint] = []
            for month in 1...12 {
                if let p = percent(t, r, "m\(month)") { plan.append(SpendingCheckpoint(month: month, percent: p)) }
            }
            guard let code, let name, let amount, let fiscal, let other else { return nil }
            let framework = base.projects.first { $0.code == code }?.framework ?? .classic
            return Project(code: code, name: name, fundDocument: document, amount: amount, fiscalFunds: fiscal,
                           otherFunds: other, use: text(t, r, "use", trim: false) ?? "",
                           spendingPlan: plan, target: text(t, r, "target", trim: false) ?? "", framework: framework)
        }
    }

    mutating func indicators(_ t: WorkbookTable, into projects: inout [Project]) {
        let index = Dictionary(projects.enumerated().map { ($0.element.code, $0.offset) },
                               uniquingKeysWith: { a, _ in a })
        for r in t.rows {
            let code = text(t, r, "project", required: true)
            let level1 = text(t, r, "level1") ?? ""
            let level2 = text(t, r, "level2") ?? ""
            let name = text(t, r, "name", required: true)
            let description = text(t, r, "description", trim: false) ?? ""
            let shown = text(t, r, "value", required: true)
            let basis = text(t, r, "basis", trim: false) ?? ""
            guard let code, let name, let shown else { continue }
            guard let p = index[code] else {
                problems.append(problem(t, r, "project", t.value(r, "project"),
                                        zh: "项目代码“\(code)”不在“\(BudgetWorkbook.projects.name)”表中",
                                        en: "the project code “\(code)” is not on the sheet "
                                            + BudgetWorkbook.projects.name))
                continue
            }
            // The value is read as displayed ("≥95%"); one displayed as it was keeps its parts exactly.
            let before = base.projects.first { $0.code == code }?.indicators.first {
                $0.level1 == level1 && $0.level2 == level2 && $0.name == name && $0.displayValue == shown
            }
            let (comparator, value, unit) = before.map { ($0.comparator, $0.value, $0.unit) }
                ?? Indicator.parseValue(shown)
            projects[p].indicators.append(Indicator(level1: level1, level2: level2, name: name,
                                                    description: description, comparator: comparator, value: value,
                                                    unit: unit, basis: basis))
        }
    }

    // MARK: Registers

    mutating func procurement(_ t: WorkbookTable) -> [ProcurementLine] {
        let catalog = Catalogs.shared.procurement
        return t.rows.compactMap { r in
            let projectName = text(t, r, "projectName") ?? ""
            let projectCode = text(t, r, "projectCode").flatMap { $0.isEmpty ? nil : $0 }
            let projectAmount = t.value(r, "projectAmount") == nil ? nil : amount(t, r, "projectAmount")
            let item = text(t, r, "item", required: true)
            let catalogCode = text(t, r, "catalog", required: true).map { $0.uppercased() }
            if let catalogCode, catalog[catalogCode] == nil {
                problems.append(problem(t, r, "catalog", t.value(r, "catalog"),
                                        zh: "品目编码“\(catalogCode)”不在 2022 年政府采购品目分类目录中",
                                        en: "the code “\(catalogCode)” is not in the 2022 procurement catalog"))
            }
            let uom = text(t, r, "uom") ?? ""
            let quantity = quantity(t, r, "quantity", allowZero: false)
            let price = amount(t, r, "price")
            let amount = amount(t, r, "amount")
            var byFund: [ProcurementFund: Fen] = [:]
            for fund in ProcurementFund.allCases where t.value(r, "fund.\(fund.rawValue)") != nil {
                if let value = self.amount(t, r, "fund.\(fund.rawValue)") { byFund[fund] = value }
            }
            let sme = t.value(r, "sme") == nil ? .zero : self.amount(t, r, "sme")
            guard let item, let catalogCode, let quantity, let price, let amount, let sme else { return nil }
            return ProcurementLine(projectName: projectName, projectCode: projectCode, projectAmount: projectAmount,
                                   itemName: item, catalogCode: catalogCode, unitOfMeasure: uom, quantity: quantity,
                                   unitPrice: price, amount: amount, byFund: byFund, smeReserved: sme)
        }
    }

    mutating func assets(into b: inout Budget) {
        guard let t = table(BudgetWorkbook.assets) else { return }
        let facts = BudgetWorkbook.Fact.self
        if let (r, c, value) = fact(t.sheet, facts.asOf) {
            let place = { (shown: String?, zh: String, en: String) in
                WorkbookProblem(sheet: t.sheet.name, row: r, column: DisclosureXLSX.column(c), fieldZh: facts.asOf.0,
                                fieldEn: facts.asOf.1, value: shown, zh: zh, en: en)
            }
            switch value {
            case nil: b.assets.asOf = ""
            case .number(let n)?:
                if let day = Self.excelDay(n) { b.assets.asOf = day } else {
                    problems.append(place(n, "“\(n)”不是日期", "“\(n)” is not a date"))
                }
            case .text(let s)?, .date(let s)?:
                let text = s.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { b.assets.asOf = "" } else if let day = DayInput.iso(String(text.prefix(10))) {
                    b.assets.asOf = day
                } else {
                    problems.append(place(s, "“\(s)”不是日期（如 2023-12-31）", "“\(s)” is not a date (e.g. 2023-12-31)"))
                }
            case let other?:
                problems.append(place(other.shown, "不是日期", "is not a date"))
            }
        } else {
            problems.append(WorkbookProblem(sheet: t.sheet.name, fieldZh: facts.asOf.0, fieldEn: facts.asOf.1,
                                            zh: "找不到“\(facts.asOf.0)”一栏",
                                            en: "the “\(facts.asOf.0)” (as of) cell is missing"))
        }
        var seen: [Int: Int] = [:]
        let options = BudgetWorkbook.assetRows.enumerated().map {
            ($0.offset, [$0.element.zh, $0.element.en] + $0.element.aliases)
        }
        for r in t.rows {
            guard let index = choice(t, r, "category", options) else { continue }
            if let first = seen[index] {
                problems.append(problem(t, r, "category", t.value(r, "category"), zh: "与第 \(first) 行重复",
                                        en: "repeats row \(first)"))
                continue
            }
            seen[index] = r
            let quantity = quantity(t, r, "quantity", allowZero: true)
            if let quantity, let value = amount(t, r, "value") {
                b.assets[keyPath: BudgetWorkbook.assetRows[index].path] = AssetRow(quantity: quantity, value: value)
            }
        }
        missingRows(t, labels: BudgetWorkbook.assetRows.map { ($0.zh, $0.en) }, seen: Set(seen.keys))
        plannedPurchases(t, into: &b)
    }

    /// Blank, as on the assets form: the goods in procurement, by definition.
    mutating func plannedPurchases(_ t: WorkbookTable, into b: inout Budget) {
        let label = BudgetWorkbook.Fact.planned
        guard let (r, c, value) = fact(t.sheet, label) else {
            problems.append(WorkbookProblem(sheet: t.sheet.name, fieldZh: label.0, fieldEn: label.1,
                                            zh: "找不到“\(label.0)”一栏", en: "the “\(label.1)” cell is missing"))
            return
        }
        guard value != nil else { b.assets.plannedPurchases = b.procurementTotal(.goods); return }
        // The one cell read as a one-column table, so its problem names it like any other.
        let column = BudgetWorkbook.Column("planned", label.0, label.1, .amount)
        let spec = BudgetWorkbook.Sheet(name: t.sheet.name, en: "", columns: [column], keys: [])
        let single = WorkbookTable(sheet: t.sheet, spec: spec, headingRow: r, columns: ["planned": c], rows: [r])
        if let planned = amount(single, r, "planned") { b.assets.plannedPurchases = planned }
    }

    /// An Excel date serial (days since 1899-12-30, the 1900 date system) as yyyy-MM-dd.
    static func excelDay(_ number: String) -> String? {
        let whole = WorkbookNumber.snapped(number, places: 0)
        guard let days = Int(whole), (1...2_958_465).contains(days) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let epoch = DateComponents(calendar: calendar, year: 1899, month: 12, day: 30).date!
        guard let date = calendar.date(byAdding: .day, value: days, to: epoch) else { return nil }
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        guard let y = c.year, let m = c.month, let d = c.day else { return nil }
        return DayInput.iso("\(y)-\(m)-\(d)")
    }
}
