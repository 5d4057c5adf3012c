/// A county-sized data set for benchmarks and demonstrations (`fuzheng demo county`): an
/// organisation with its accounts and, per unit and year, a budget that passes the rule book, with
/// the approval steps it went through. The same parameters give the same output, byte for byte, on
/// any machine: every draw comes from `SplitMix64`, and each unit draws from its own stream (seed and
/// unit code), so asking for more users does not change anyone's budget.
public enum CountyGenerator {
    public struct Parameters: Sendable, Equatable, Codable {
        public var seed: UInt64
        public var units: Int
        public var users: Int
        public var years: Int
        public var firstYear: Int
        /// Projects in every unit's budget of every year, its templates repeated in turn; nil: as the unit's kind
        /// has them (its first every year, the others some years). The execution benchmark asks for 10 (3,000).
        public var projectsPerUnit: Int?

        public init(seed: UInt64 = 1, units: Int = 300, users: Int = 3000, years: Int = 3, firstYear: Int,
                    projectsPerUnit: Int? = nil) {
            self.seed = seed
            self.units = units
            self.users = users
            self.years = years
            self.firstYear = firstYear
            self.projectsPerUnit = projectsPerUnit
        }
    }

    /// One step of a budget's approval path, as the workflow would have recorded it.
    public struct Step: Sendable, Equatable, Codable {
        public var action: WorkflowAction
        public var from: BudgetStatus
        public var to: BudgetStatus
        public var username: String
        public var displayName: String
        public var comment: String
        /// Day of the budget's fiscal year (1 = 1 January); every step falls in January or February.
        public var dayOfYear: Int

        /// (month, day) of `dayOfYear`, which never passes February.
        public var monthAndDay: (month: Int, day: Int) { dayOfYear <= 31 ? (1, dayOfYear) : (2, dayOfYear - 31) }
    }

    public struct GeneratedBudget: Sendable, Equatable, Codable {
        public var unitCode: String
        /// Its status is where the steps end; a published budget also has `publishedDay`.
        public var budget: Budget
        public var steps: [Step]
        public var publishedDay: Int?
    }

    public struct Output: Sendable, Equatable, Codable {
        public var parameters: Parameters
        public var organisation: OrganisationSeed
        public var budgets: [GeneratedBudget]
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case units(requested: Int, available: Int)
        case users(requested: Int, minimum: Int)
        case years(Int)
        case firstYear(Int)

        public var description: String {
            switch self {
            case .units(let n, let max):
                "单位数 \(n) 超出范围（1–\(max)） / --units \(n) is out of range (1–\(max))"
            case .users(let n, let min):
                "用户数 \(n) 太少：每个单位需要财务和负责人，另有三员和财政审核，至少 \(min) 个 / --users \(n) is too few: "
                    + "every unit needs a finance clerk and a head, plus the three administrators and a reviewer: "
                    + "at least \(min)"
            case .years(let n): "年数 \(n) 超出范围（1–10） / --years \(n) is out of range (1–10)"
            case .firstYear(let y): "起始年度 \(y) 超出范围（2000–2090） / the first year \(y) is out of range (2000–2090)"
            }
        }
    }

    /// The most units the name tables can give.
    public static func maximumUnits(names: CountyNames = .shared) -> Int {
        plan(names).reduce(0) { $0 + $1.candidates.count }
    }

    /// Users needed for `units` units: a finance clerk and a head each, three administrators, one reviewer.
    public static func minimumUsers(units: Int) -> Int { 2 * units + 4 }

    public static func generate(_ p: Parameters, names: CountyNames = .shared) throws(Problem) -> Output {
        let maximum = maximumUnits(names: names)
        guard (1...maximum).contains(p.units) else { throw .units(requested: p.units, available: maximum) }
        let minimum = minimumUsers(units: p.units)
        guard p.users >= minimum else { throw .users(requested: p.users, minimum: minimum) }
        guard (1...10).contains(p.years) else { throw .years(p.years) }
        guard (2000...2090).contains(p.firstYear) else { throw .firstYear(p.firstYear) }

        let units = allocate(p.units, names: names)
        let people = People(seed: p.seed, names: names)
        let accounts = makeAccounts(p, units: units, people: people, names: names)
        var seen = Set<String>()
        let departments = units.map(\.department).filter { seen.insert($0.code).inserted }.sorted { $0.code < $1.code }
        let organisation = OrganisationSeed(
            note: "生成的县级演示数据（fuzheng demo county，种子 \(p.seed)）：乡镇为怀来县实有，部门代码、人员和金额为虚构。"
                + " Generated county data (seed \(p.seed)); codes, people and figures are invented.",
            region: .init(code: names.region.code, name: names.region.name),
            departments: departments,
            units: units.map { u in
                let t = u.template
                return OrganisationSeed.Unit(
                    code: u.code, name: u.name, departmentCode: u.department.code, nature: t.nature, grade: t.grade,
                    fundingForm: t.fundingForm, duties: t.duties,
                    setup: "\(u.name)为\(u.department.name)所属单位（\(t.nature)，\(t.grade)，\(t.fundingForm)）。")
            },
            accounts: accounts.list,
            initialPassword: names.initialPassword)

        var budgets: [GeneratedBudget] = []
        budgets.reserveCapacity(units.count * p.years)
        for unit in units {
            var rng = SplitMix64(seed: p.seed ^ Fuzzer.hash("unit:" + unit.code))
            let maker = BudgetMaker(unit: unit, names: names, regionCode: names.region.code,
                                    projectsPerUnit: p.projectsPerUnit)
            let profile = maker.profile(&rng)
            var previous: Budget?
            for year in p.firstYear..<(p.firstYear + p.years) {
                let last = year == p.firstYear + p.years - 1
                var budget = maker.budget(year: year, index: year - p.firstYear, profile: profile, previous: previous,
                                          rng: &rng)
                let status = last ? finalStatus(&rng) : .published
                let (steps, published) = approvalSteps(to: status, unit: unit.code, accounts: accounts, rng: &rng)
                budget.status = status
                budgets.append(GeneratedBudget(unitCode: unit.code, budget: budget, steps: steps,
                                               publishedDay: published))
                previous = budget
            }
        }
        return Output(parameters: p, organisation: organisation, budgets: budgets)
    }

    // MARK: - Organisation

    struct PlannedUnit {
        var department: OrganisationSeed.Department
        var template: CountyNames.UnitTemplate
        var name: String
        var function: String
        var code: String = ""
    }

    struct PlannedDepartment {
        var department: OrganisationSeed.Department
        var candidates: [PlannedUnit]
    }

    static func expand(_ text: String, county: String, town: String = "") -> String {
        text.replacingOccurrences(of: "{county}", with: county).replacingOccurrences(of: "{town}", with: town)
    }

    /// Every department with the units it could have, in the order they are taken: the government office and
    /// the finance bureau first (a small county still has its reviewers), the bureaus, then the towns.
    static func plan(_ names: CountyNames) -> [PlannedDepartment] {
        let county = names.region.name
        var plans: [PlannedDepartment] = []
        for d in names.departments {
            let department = OrganisationSeed.Department(code: d.code, name: expand(d.name, county: county))
            func planned(_ t: CountyNames.UnitTemplate, town: String = "") -> PlannedUnit {
                let function = t.nature == "行政" ? d.function : (d.institutionFunction ?? d.function)
                let name = expand(t.name, county: county, town: town)
                return PlannedUnit(department: department, template: t, name: name, function: function)
            }
            var candidates = d.units.map { planned($0) }
            for t in d.perTown ?? [] {
                candidates += names.towns.map { planned(t, town: $0) }
            }
            plans.append(PlannedDepartment(department: department, candidates: candidates))
        }
        for (i, town) in names.towns.enumerated() {
            let code = String(names.townDepartmentCodeStart + i)
            let name = expand(names.townUnits[0].name, county: county, town: town)
            let department = OrganisationSeed.Department(code: code, name: name)
            let candidates = names.townUnits.map { t in
                PlannedUnit(department: department, template: t, name: expand(t.name, county: county, town: town),
                            function: names.townFunction)
            }
            plans.append(PlannedDepartment(department: department, candidates: candidates))
        }
        return plans
    }

    /// Every department first gets its own office (in plan order, so a small county still has the government
    /// office and the finance bureau); the other units are shared out in proportion to what each department
    /// could have, as in a real county most budget units are schools, clinics and town offices. Codes are
    /// the department's code and 001, 002 … in order.
    static func allocate(_ count: Int, names: CountyNames) -> [PlannedUnit] {
        let plans = plan(names)
        var quota = plans.indices.map { $0 < count ? 1 : 0 }
        let rest = count - quota.reduce(0, +)
        let spare = plans.map { $0.candidates.count - 1 }
        let totalSpare = spare.reduce(0, +)
        if rest > 0 && totalSpare > 0 {
            // Largest remainder: each department's exact share is rest × spare / totalSpare.
            for i in plans.indices { quota[i] += rest * spare[i] / totalSpare }
            let order = plans.indices.sorted { a, b in
                let (ra, rb) = (rest * spare[a] % totalSpare, rest * spare[b] % totalSpare)
                return ra != rb ? ra > rb : a < b
            }
            for i in order.prefix(count - quota.reduce(0, +)) { quota[i] += 1 }
        }
        var units: [PlannedUnit] = []
        for (i, plan) in plans.enumerated() {
            for (n, candidate) in plan.candidates.prefix(quota[i]).enumerated() {
                var unit = candidate
                let serial = String(n + 1)
                unit.code = plan.department.code + String(repeating: "0", count: 3 - serial.count) + serial
                units.append(unit)
            }
        }
        return units
    }

    // MARK: - People

    struct People {
        var rng: SplitMix64
        let names: CountyNames
        var usedUsernames: Set<String> = ["sysadmin", "secadmin", "auditadmin"]

        init(seed: UInt64, names: CountyNames) {
            rng = SplitMix64(seed: seed ^ Fuzzer.hash("people"))
            self.names = names
        }

        /// A name and a unique pinyin username; common surnames come up more often (the table is in order of
        /// frequency).
        mutating func next() -> (username: String, displayName: String) {
            let s = names.surnames
            let skewed = rng.uniform(0, s.count - 1) * rng.uniform(0, 1000) / 1000
            let surname = s[skewed]
            var display = surname[0]
            var username = surname[1]
            for _ in 0..<(rng.uniform(0, 9) < 7 ? 2 : 1) {
                let given = names.givenNames[rng.uniform(0, names.givenNames.count - 1)]
                display += given[0]
                username += given[1]
            }
            var candidate = username
            var n = 2
            while usedUsernames.contains(candidate) {
                candidate = username + String(n)
                n += 1
            }
            usedUsernames.insert(candidate)
            return (candidate, display)
        }
    }

    struct Accounts {
        var list: [OrganisationSeed.Account] = []
        var finance: [String: OrganisationSeed.Account] = [:]
        var head: [String: OrganisationSeed.Account] = [:]
        var reviewers: [OrganisationSeed.Account] = []
    }

    static func makeAccounts(_ p: Parameters, units: [PlannedUnit], people: People, names: CountyNames) -> Accounts {
        var people = people
        var accounts = Accounts()
        func add(_ role: Role, _ unit: String, username: String? = nil) -> OrganisationSeed.Account {
            let person = people.next()
            let account = OrganisationSeed.Account(username: username ?? person.username,
                                                   displayName: person.displayName, role: role, unitCode: unit)
            accounts.list.append(account)
            return account
        }
        // The three administrators have fixed usernames so scripts and benchmarks can sign in as them.
        let first = units[0].code
        _ = add(.systemAdmin, first, username: "sysadmin")
        _ = add(.securityAdmin, first, username: "secadmin")
        _ = add(.auditAdmin, first, username: "auditadmin")
        let financeBureau = units.first { $0.department.code == "436" }?.code ?? first
        for _ in 0..<max(1, units.count / 15) where accounts.list.count < p.users - 2 * units.count {
            accounts.reviewers.append(add(.financeReviewer, financeBureau))
        }
        for unit in units {
            accounts.finance[unit.code] = add(.unitFinance, unit.code)
            accounts.head[unit.code] = add(.unitHead, unit.code)
        }
        // A leader in each department's own office, then the remaining staff where the people are.
        var seenDepartments = Set<String>()
        for unit in units where accounts.list.count < p.users
            && seenDepartments.insert(unit.department.code).inserted {
            _ = add(.leader, unit.code)
        }
        // The government office's own staff for the office modules: 文书, 核稿, 档案员, 督查室 (county-wide), 信息员.
        let office = units.first { $0.department.code == "434" }?.code ?? first
        for role in [Role.clerk, .checker, .archivist, .inspector, .informationOfficer]
            where accounts.list.count < p.users {
            _ = add(role, office)
        }
        let weights = units.map { names.kinds[$0.template.kind]?.staff.last ?? 10 }
        let totalWeight = weights.reduce(0, +)
        while accounts.list.count < p.users {
            var pick = people.rng.uniform(0, totalWeight - 1)
            var index = 0
            while pick >= weights[index] {
                pick -= weights[index]
                index += 1
            }
            let roll = people.rng.uniform(0, 99)
            let role: Role = roll < 88 ? .officeStaff : roll < 96 ? .unitFinance : .leader
            _ = add(role, units[index].code)
        }
        return accounts
    }

    // MARK: - Approval path

    static func finalStatus(_ rng: inout SplitMix64) -> BudgetStatus {
        let roll = rng.uniform(0, 99)
        switch roll {
        case ..<35: return .draft
        case ..<55: return .submitted
        case ..<70: return .unitApproved
        case ..<80: return .financeReviewed
        case ..<90: return .approved
        default: return .published
        }
    }

    static let forward: [(WorkflowAction, BudgetStatus, BudgetStatus)] = [
        (.submit, .draft, .submitted), (.unitApprove, .submitted, .unitApproved),
        (.financeReview, .unitApproved, .financeReviewed), (.financeApprove, .financeReviewed, .approved),
    ]

    static let sendBackComments = ["请补充项目绩效指标的测算依据", "人员经费与编制人数不符，请核实", "请细化政府采购预算的品目",
                                   "项目支出与上年差异较大，请说明原因"]

    static func approvalSteps(to status: BudgetStatus, unit: String, accounts: Accounts,
                              rng: inout SplitMix64) -> ([Step], Int?) {
        guard status != .draft else { return ([], nil) }
        let target = status == .published ? BudgetStatus.approved : status
        let finance = accounts.finance[unit]!
        let head = accounts.head[unit]!
        let reviewer = accounts.reviewers[rng.uniform(0, accounts.reviewers.count - 1)]
        var day = rng.uniform(3, 10)
        var steps: [Step] = []
        func step(_ action: WorkflowAction, _ from: BudgetStatus, _ to: BudgetStatus, comment: String = "") {
            let who = action == .submit ? finance : action == .unitApprove ? head : reviewer
            steps.append(Step(action: action, from: from, to: to, username: who.username, displayName: who.displayName,
                              comment: comment, dayOfYear: day))
        }
        // One budget in ten is sent back once by the finance bureau before it goes through.
        if target != .submitted && target != .unitApproved && rng.uniform(0, 9) == 0 {
            step(.submit, .draft, .submitted)
            day += rng.uniform(1, 2)
            step(.unitApprove, .submitted, .unitApproved)
            day += rng.uniform(1, 3)
            step(.sendBack, .unitApproved, .draft, comment: rng.pick(sendBackComments))
            day += rng.uniform(1, 3)
        }
        for (action, from, to) in forward {
            step(action, from, to)
            if to == target { break }
            day += rng.uniform(1, 4)
        }
        // Published within the 20 days the rules allow after approval.
        return (steps, status == .published ? day + rng.uniform(5, 15) : nil)
    }
}

extension SplitMix64 {
    /// Uniform in lo…hi without modulo bias, so figures do not lean towards the low end of a range.
    mutating func uniform(_ lo: Int, _ hi: Int) -> Int {
        precondition(lo <= hi)
        let span = UInt64(hi - lo) + 1
        let threshold = (0 &- span) % span
        while true {
            let x = next()
            if x >= threshold { return lo + Int(x % span) }
        }
    }

    mutating func uniform(_ range: [Int]) -> Int { uniform(range[0], range[range.count - 1]) }

    mutating func pick<T>(_ items: [T]) -> T { items[uniform(0, items.count - 1)] }
}
