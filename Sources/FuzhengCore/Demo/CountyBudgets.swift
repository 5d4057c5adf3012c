/// One unit's budgets for the county generator. Every figure is built from whole 元 (most from whole
/// hundreds, so tables in 万元 show them exactly); totals are derived from the lines and then stated,
/// so every sum rule holds by construction.
extension CountyGenerator {
    /// What stays the same about a unit from year to year.
    struct Profile {
        var staff: Int
        var vehicles: Int
        var area: Int
        var officeArea: Int
        var buildingPrice: Int
        var vehiclePrice: Int
        var highValue: Int
        var highValuePrice: Int
        var otherAssets: Int
        var otherAssetPrice: Int
        var wage: Int
        var publicUsePerStaff: Int
        var vehicleOperation: Int
        var reception: Int
        var projects: [String]
    }

    struct BudgetMaker {
        let unit: PlannedUnit
        let names: CountyNames
        let regionCode: String
        var projectsPerUnit: Int? = nil

        var kind: CountyNames.Kind { names.kinds[unit.template.kind] ?? names.kinds["institution"]! }
        var administrative: Bool { unit.template.nature == "行政" || unit.template.nature.hasPrefix("参照公务员法") }

        func profile(_ rng: inout SplitMix64) -> Profile {
            let staff = rng.uniform(kind.staff)
            let area = staff * rng.uniform(kind.areaPerStaff)
            return Profile(
                staff: staff, vehicles: rng.uniform(kind.vehicles), area: area,
                officeArea: administrative ? min(area, staff * rng.uniform(9, 18)) : 0,
                buildingPrice: rng.uniform(names.buildingYuanPerSquareMetre),
                vehiclePrice: rng.uniform(names.vehicleYuan) / 100 * 100,
                highValue: rng.uniform(kind.highValue), highValuePrice: rng.uniform(names.highValueYuan) / 100 * 100,
                otherAssets: staff * rng.uniform(kind.otherPerStaff),
                otherAssetPrice: rng.uniform(names.otherAssetYuan),
                wage: rng.uniform(names.wagePerStaffYuan), publicUsePerStaff: rng.uniform(names.publicUsePerStaffYuan),
                vehicleOperation: rng.uniform(names.vehicleOperationYuan),
                reception: kind.reception ? rng.uniform(names.receptionYuan) : 0,
                projects: unit.template.projects ?? ["special-work"])
        }

        /// Whole hundreds of 元 (0.01 万元), as budgets are prepared.
        static func hundreds(_ yuan: Int) -> Fen { Fen.yuan(Int64(yuan / 100 * 100)) }

        /// `index` counts the years since the first one generated.
        func budget(year: Int, index: Int, profile: Profile, previous: Budget?, rng: inout SplitMix64) -> Budget {
            let growth = 100 + 3 * index
            let staff = max(3, profile.staff + rng.uniform(-2, 2))
            var lines: [ExpenditureLine] = []

            // 基本支出: personnel and public use by economic code, split by fund when the unit earns 事业收入.
            let personnel = staff * profile.wage * growth / 100
            for share in names.personnel {
                let function = share.function == "medical" ? (unit.template.nature == "行政" ? "2101101" : "21011")
                    : share.function ?? unit.function
                let amount = Self.hundreds(personnel * share.share / 1000)
                lines += basicLines(.personnel, share.economic, function: function, amount: amount)
            }
            let publicUse = staff * profile.publicUsePerStaff
            for share in names.publicUse {
                let amount = Self.hundreds(publicUse * share.share / 1000)
                lines += basicLines(.publicUse, share.economic, function: unit.function, amount: amount)
            }
            let vehicleOperation = Self.hundreds(profile.vehicles * profile.vehicleOperation
                                                 * rng.uniform(92, 108) / 100)
            let reception = Self.hundreds(profile.reception * rng.uniform(90, 105) / 100)
            // 三公 lines are appropriated money only: the 三公 tables count nothing else.
            lines += basicLines(.publicUse, "30231", function: unit.function, amount: vehicleOperation,
                                splitByFund: false)
            lines += basicLines(.publicUse, "30217", function: unit.function, amount: reception, splitByFund: false)

            // 项目支出: the unit's first project every year, the others some years.
            var projects: [Project] = []
            var procurement: [ProcurementLine] = []
            let document = "\(names.fundDocumentPrefix)〔\(year)〕\(rng.uniform(1, 150))号"
            let count = max(profile.projects.count, 1)
            let ids = projectsPerUnit.map { n in
                profile.projects.isEmpty ? [] : (0..<n).map { profile.projects[$0 % count] }
            } ?? profile.projects
            for (i, id) in ids.enumerated() where projectsPerUnit != nil || i == 0 || rng.uniform(0, 9) < 6 {
                guard var template = names.projects[id] else { continue }
                // A template used again in one budget: its round named, so no two projects share a name.
                let round = i / count
                if round > 0 { template.name += "（\(round + 1)）" }
                let serial = projects.count + 1
                let (project, projectLines, projectProcurement) = makeProject(
                    template, year: year, serial: serial, document: document, rng: &rng)
                projects.append(project)
                lines += projectLines
                procurement += projectProcurement
            }

            var budget = Budget(
                fiscalYear: year, department: OrgRef(code: unit.department.code, name: unit.department.name),
                units: [UnitProfileData(code: unit.code, name: unit.name, nature: unit.template.nature,
                                        grade: unit.template.grade, fundingForm: unit.template.fundingForm)],
                status: .draft, expenditure: lines, projects: projects, procurement: procurement)
            budget.revenue = RevenueSource.allCases.compactMap { source in
                let amount = lines.filter { $0.fundSource == source }.sum(\.amount)
                return amount == .zero ? nil : RevenueLine(source: source, amount: amount)
            }
            budget.threePublic = ThreePublic(items: ThreePublicItems(vehicleOperation: vehicleOperation,
                                                                     reception: reception))
            budget.operatingCosts = administrative
                ? OperatingCosts(amount: budget.publicUseExpenditure, use: names.operatingCostsUse) : OperatingCosts()
            budget.assets = assets(year: year, profile: profile, index: index, rng: &rng)
            budget.prior = prior(of: budget, previous: previous, rng: &rng)
            budget.narrative = narrative(year: year, rng: &rng)
            budget.restateTotals()
            return budget
        }

        /// 行政运行 (…01) and 事业运行 (…50) hold what keeps a body running, its basic spending; a project goes to
        /// the same 款's 一般行政管理事务 (…02) in an administrative unit, or its 其他 (…99) item otherwise, when the
        /// catalog has one.
        var projectFunction: String {
            let f = unit.function
            guard f.count == 7, f.hasSuffix("01") || f.hasSuffix("50") else { return f }
            let item = String(f.prefix(5)) + (administrative ? "02" : "99")
            return Catalogs.shared.functionClassification[item] == nil ? f : item
        }

        func governmentCode(_ economic: String) -> String? {
            if administrative { return names.governmentEconomic[economic] }
            return economic.hasPrefix("310") ? nil : names.institutionGovernmentEconomic
        }

        func basicLines(_ category: BasicCategory, _ economic: String, function: String, amount: Fen,
                        splitByFund: Bool = true) -> [ExpenditureLine] {
            guard amount > .zero else { return [] }
            let label = Catalogs.shared.departmentEconomic[economic]
            func line(_ fund: RevenueSource, _ part: Fen) -> ExpenditureLine {
                ExpenditureLine(kind: .basic, basicCategory: category, label: label, functionCode: function,
                                economicCode: economic, governmentEconomicCode: governmentCode(economic),
                                fundSource: fund, amount: part)
            }
            let yuan = Int(amount.value / Fen.perYuan)
            let earned = splitByFund ? Self.hundreds(yuan * kind.businessIncome / 1000) : .zero
            guard earned > .zero else { return [line(.generalPublicBudget, amount)] }
            return [line(.generalPublicBudget, amount - earned), line(.businessIncome, earned)]
        }

        func makeProject(_ t: CountyNames.ProjectTemplate, year: Int, serial: Int, document: String,
                         rng: inout SplitMix64) -> (Project, [ExpenditureLine], [ProcurementLine]) {
            let serialText = String(serial)
            let digits = unit.code + String(repeating: "0", count: 5 - serialText.count) + serialText
            let body = regionCode + String(format2(year % 100)) + "P" + digits
            let check = Character(Unicode.Scalar(UInt8(65 + body.utf8.reduce(0) { ($0 + Int($1)) % 26 })))
            let code = body + String(check)

            // Procurement first: the project must cover it.
            var items: [(item: CountyNames.ProcurementItem, quantity: Int, price: Int)] = []
            for item in t.procurement ?? [] {
                let quantity = rng.uniform(item.quantity)
                let step = item.quantity.last == 1 ? 100 : 10
                items.append((item, quantity, rng.uniform(item.priceYuan) / step * step))
            }
            let procured = items.reduce(0) { $0 + $1.quantity * $1.price }
            let planned = rng.uniform(t.amountWan) * 10_000 + rng.uniform(0, 99) * 100
            let amount = Fen.yuan(Int64(max(planned, (procured + 99) / 100 * 100)))

            var byEconomic: [(String, Fen)] = []
            func add(_ economic: String, _ part: Fen) {
                guard part > .zero else { return }
                if let i = byEconomic.firstIndex(where: { $0.0 == economic }) {
                    byEconomic[i].1 = byEconomic[i].1 + part
                } else {
                    byEconomic.append((economic, part))
                }
            }
            for entry in items {
                add(entry.item.economic ?? t.economic, .yuan(Int64(entry.quantity * entry.price)))
            }
            add(t.economic, amount - .yuan(Int64(procured)))
            // The lines of a project share its name (the disclosure's sentence names the project once); their
            // economic codes tell them apart in the tables.
            let lines = byEconomic.map { economic, part in
                ExpenditureLine(kind: .project, projectCode: code, label: t.name, functionCode: projectFunction,
                                economicCode: economic, governmentEconomicCode: governmentCode(economic),
                                fundSource: .generalPublicBudget, amount: part)
            }
            let procurement = items.map { entry in
                let total = Fen.yuan(Int64(entry.quantity * entry.price))
                return ProcurementLine(
                    projectName: t.name, projectCode: code, projectAmount: amount,
                    itemName: Catalogs.shared.procurement[entry.item.catalogCode] ?? entry.item.catalogCode,
                    catalogCode: entry.item.catalogCode, unitOfMeasure: entry.item.unitOfMeasure,
                    quantity: Quantity(Int64(entry.quantity)),
                    unitPrice: .yuan(Int64(entry.price)), amount: total, byFund: [.generalPublicBudget: total],
                    // Purchases up to 200万元 are reserved for small firms in full, larger ones 40% (财库〔2020〕46号).
                    smeReserved: total <= .wan(200) ? total : Fen(total.value * 40 / 100))
            }

            let first = rng.uniform(15, 35)
            let second = first + rng.uniform(15, 30)
            let third = min(100, second + rng.uniform(10, 30))
            let basis = "\(year)年工作计划"
            func fixed(_ f: CountyNames.FixedIndicator, _ level2: String) -> Indicator {
                Indicator(level1: level2 == "服务对象满意度指标" ? "满意度指标" : "产出指标", level2: level2, name: f.name,
                          description: f.name, comparator: Comparator(rawValue: f.comparator) ?? .equal,
                          value: f.value, unit: f.unit,
                          basis: level2 == "服务对象满意度指标" ? "问卷调查" : basis)
            }
            let indicators = [
                Indicator(level1: "产出指标", level2: "数量指标", name: t.quantity.name, description: t.quantity.name,
                          comparator: Comparator(rawValue: t.quantity.comparator) ?? .atLeast,
                          value: String(rng.uniform(t.quantity.min, t.quantity.max)), unit: t.quantity.unit,
                          basis: basis),
                fixed(rng.pick(names.quality), "质量指标"),
                fixed(rng.pick(names.timeliness), "时效指标"),
                Indicator(level1: "产出指标", level2: "成本指标", name: "项目总成本", description: "项目预算控制数", comparator: .atMost,
                          value: MoneyFormat.wanInText(amount), unit: MoneyUnit.wan.rawValue, basis: "预算测算"),
                Indicator(level1: "效益指标", level2: "社会效益指标", name: t.benefit, description: t.benefit,
                          comparator: .qualitative,
                          value: rng.pick(["有效保障", "明显改善", "进一步提升"]), unit: "", basis: basis),
                fixed(rng.pick(names.satisfaction), "服务对象满意度指标"),
            ]
            let project = Project(
                code: code, name: t.name, fundDocument: document, amount: amount, fiscalFunds: amount, use: t.use,
                spendingPlan: [SpendingCheckpoint(month: 3, percent: first),
                               SpendingCheckpoint(month: 6, percent: second),
                               SpendingCheckpoint(month: 9, percent: third),
                               SpendingCheckpoint(month: 12, percent: 100)],
                target: t.target, framework: .classic, indicators: indicators)
            return (project, lines, procurement)
        }

        func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

        func assets(year: Int, profile: Profile, index: Int, rng: inout SplitMix64) -> AssetHoldings {
            func row(_ count: Int, _ price: Int) -> AssetRow {
                AssetRow(quantity: Quantity(Int64(count)), value: .yuan(Int64(count * price)))
            }
            let buildings = row(profile.area, profile.buildingPrice)
            let office = row(profile.officeArea, profile.buildingPrice)
            let vehicles = row(profile.vehicles, profile.vehiclePrice)
            let highValue = row(profile.highValue, profile.highValuePrice)
            let other = row(profile.otherAssets + index * rng.uniform(0, 12), profile.otherAssetPrice)
            let categories = [buildings, vehicles, highValue, other]
            let count = categories.reduce(Int64(0)) { $0 + $1.quantity.thousandths }
            let total = AssetRow(quantity: Quantity(thousandths: count), value: categories.sum(\.value))
            return AssetHoldings(asOf: "\(year - 1)-12-31", total: total, buildings: buildings, officeSpace: office,
                                 vehicles: vehicles, highValueEquipment: highValue, other: other)
        }

        /// Last year's figures: the previous generated budget's, or for the first year a plausible year before it.
        func prior(of b: Budget, previous: Budget?, rng: inout SplitMix64) -> PriorYear {
            func around(_ amount: Fen, _ lo: Int, _ hi: Int) -> Fen {
                Self.hundreds(Int(amount.value / Fen.perYuan) * rng.uniform(lo, hi) / 100)
            }
            var prior: PriorYear
            if let previous {
                prior = PriorYear(total: previous.totalExpenditure, basic: previous.basicExpenditure,
                                  project: previous.projectExpenditure, threePublic: previous.threePublic.items)
            } else {
                let basic = around(b.basicExpenditure, 92, 104)
                let project = around(b.projectExpenditure, 75, 125)
                let items = b.threePublic.items
                prior = PriorYear(total: basic + project, basic: basic, project: project,
                                  threePublic: ThreePublicItems(
                                      vehicleOperation: around(items.vehicleOperation, 95, 112),
                                      reception: around(items.reception, 98, 120)))
            }
            func reason(_ key: String, _ now: Fen, _ before: Fen?) -> String {
                guard let r = names.reasons[key], let before else { return "" }
                return rng.pick(now > before ? r.up : now < before ? r.down : r.same)
            }
            prior.reasons = ChangeReasons(total: reason("total", b.totalExpenditure, prior.total),
                                          basic: reason("basic", b.basicExpenditure, prior.basic),
                                          project: reason("project", b.projectExpenditure, prior.project),
                                          threePublic: reason("threePublic", b.threePublic.items.total,
                                                              prior.threePublic?.total))
            return prior
        }

        func narrative(year: Int, rng: inout SplitMix64) -> Narrative {
            var pool = names.dutyTargets
            var targets: [String] = []
            for n in 1...3 where !pool.isEmpty {
                targets.append("\(n).\(pool.remove(at: rng.uniform(0, pool.count - 1)))")
            }
            return Narrative(
                duties: unit.template.duties,
                overallTarget: "\(year)年，\(unit.name)紧紧围绕县委、县政府决策部署，全面履行职责，保障机构正常运转，完成年度重点任务。",
                dutyTargets: targets, otherNotes: names.otherNotes, glossary: names.glossary)
        }
    }
}
