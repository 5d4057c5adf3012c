import Foundation

/// How years and dates are written inside a budget's text, read from Resources/rules/dated-text.json:
/// what TEXT-STALE-YEAR looks for and what a copy to the next year moves.
public struct DatedTextRules: Sendable, Decodable {
    public struct YearMark: Sendable, Decodable {
        public var before: String
        public var after: String
    }

    public struct DateForm: Sendable, Decodable {
        public var afterYear: String
        public var afterMonth: String
        public var afterDay: String
    }

    public enum FieldDate: String, Sendable, Decodable {
        /// 固定资产占用情况 is stated at the end of the year before the budget year.
        case endOfPreviousYear
    }

    public var minYear: Int
    public var maxYear: Int
    public var yearMarks: [YearMark]
    public var dateForms: [DateForm]
    /// Words before last year's number that make it a comparison (比2022年增加), not a stale fact.
    public var previousYearComparisons: [String]
    public var fieldDates: [String: FieldDate]

    public static let shared: DatedTextRules = {
        do {
            return try JSONDecoder().decode(DatedTextRules.self, from: Catalogs.resource("dated-text", "json", "rules"))
        } catch {
            preconditionFailure("FuzhengCore rules/dated-text.json is missing or malformed: \(error)")
        }
    }()
}

/// One year or date found in a text.
public struct DatedMention: Sendable, Equatable {
    /// As written, marks included: "2022年", "【2023】", "2022年12月31日", "2022-12-31".
    public var text: String
    public var year: Int
    public var month: Int?
    public var day: Int?
    /// Preceded by a comparison word (比, 较 …).
    public var isComparison: Bool
    /// Character offsets of the four digits of the year.
    var yearOffset: Int
}

extension DatedTextRules {
    /// Every year and date in `text`, in order.
    public func mentions(in text: String) -> [DatedMention] {
        let chars = Array(text)
        var found: [DatedMention] = []
        var i = 0
        while i < chars.count {
            guard chars[i].isASCIIDigit else { i += 1; continue }
            var end = i
            while end < chars.count, chars[end].isASCIIDigit { end += 1 }
            defer { i = end }
            guard end - i == 4, let year = Int(String(chars[i..<end])),
                (minYear...maxYear).contains(year) else { continue }
            if let date = date(chars, yearStart: i, yearEnd: end, year: year) {
                found.append(date)
                continue
            }
            for mark in yearMarks where chars.has(mark.before, endingAt: i) && chars.has(mark.after, at: end) {
                let start = i - mark.before.count
                found.append(DatedMention(text: String(chars[start..<(end + mark.after.count)]), year: year,
                                          month: nil, day: nil, isComparison: comparison(chars, before: start),
                                          yearOffset: i))
                break
            }
        }
        return found
    }

    private func date(_ chars: [Character], yearStart: Int, yearEnd: Int, year: Int) -> DatedMention? {
        for form in dateForms where chars.has(form.afterYear, at: yearEnd) {
            var p = yearEnd + form.afterYear.count
            guard let month = chars.number(at: &p, maxDigits: 2), (1...12).contains(month),
                  chars.has(form.afterMonth, at: p) else { continue }
            p += form.afterMonth.count
            guard let day = chars.number(at: &p, maxDigits: 2), (1...31).contains(day) else { continue }
            if form.afterDay.isEmpty {
                if p < chars.count, chars[p].isASCIIDigit { continue }
            } else {
                guard chars.has(form.afterDay, at: p) else { continue }
                p += form.afterDay.count
            }
            return DatedMention(text: String(chars[yearStart..<p]), year: year, month: month, day: day,
                                isComparison: comparison(chars, before: yearStart), yearOffset: yearStart)
        }
        return nil
    }

    private func comparison(_ chars: [Character], before index: Int) -> Bool {
        previousYearComparisons.contains { chars.has($0, endingAt: index) }
    }

    /// `text` with every mention of `old` (as a marked year or a date) written as `new`.
    public func movingYear(_ text: String, from old: Int, to new: Int) -> String {
        let moved = mentions(in: text).filter { $0.year == old }
        guard !moved.isEmpty else { return text }
        var chars = Array(text)
        let replacement = Array(String(new))
        for m in moved.reversed() where replacement.count == 4 {
            chars.replaceSubrange(m.yearOffset..<(m.yearOffset + 4), with: replacement)
        }
        return String(chars)
    }
}

/// A field of a budget that holds words a reader sees, with where it is and what to call it.
public struct BudgetTextField: Sendable, Equatable {
    public var path: String
    public var labelZh: String
    public var labelEn: String
    public var text: String
}

extension Budget {
    /// Every text a disclosure prints that a clerk wrote or copied, in reading order.
    public var textFields: [BudgetTextField] {
        var fields: [BudgetTextField] = []
        func add(_ path: String, _ zh: String, _ en: String, _ text: String?) {
            guard let text, !text.isEmpty else { return }
            fields.append(BudgetTextField(path: path, labelZh: zh, labelEn: en, text: text))
        }
        let n = narrative
        add("narrative.duties", "部门职责", "the duties", n.duties)
        for (key, text) in n.notes.sorted(by: { $0.key < $1.key }) {
            add("narrative.notes.\(key)", "说明文字", "an explanatory sentence", text)
        }
        add("narrative.overallTarget", "总体绩效目标", "the overall target", n.overallTarget)
        for (i, t) in n.dutyTargets.enumerated() {
            add("narrative.dutyTargets[\(i)]", "第\(i + 1)项职责目标", "duty target \(i + 1)", t)
        }
        add("narrative.otherNotes", "其他说明", "other notes", n.otherNotes)
        for (i, g) in n.glossary.enumerated() {
            add("narrative.glossary[\(i)]", "名词解释“\(g.term)”", "glossary entry “\(g.term)”", g.definition)
        }
        add("operatingCosts.use", "机关运行经费说明", "the operating costs' use", operatingCosts.use)
        add("prior.reasons.total", "支出增减原因", "the reason for the change in spending", prior.reasons.total)
        add("prior.reasons.basic", "基本支出增减原因", "the reason for the change in basic spending", prior.reasons.basic)
        add("prior.reasons.project", "项目支出增减原因", "the reason for the change in project spending",
            prior.reasons.project)
        add("prior.reasons.threePublic", "“三公”经费增减原因", "the reason for the change in 三公 spending",
            prior.reasons.threePublic)
        for p in projects {
            let at = "projects[\(p.code)]"
            add("\(at).name", "项目名称", "a project's name", p.name)
            add("\(at).fundDocument", "项目“\(p.name)”的资金文号", "the funding document of “\(p.name)”", p.fundDocument)
            add("\(at).use", "项目“\(p.name)”的资金用途", "the use of “\(p.name)”", p.use)
            add("\(at).target", "项目“\(p.name)”的绩效目标", "the target of “\(p.name)”", p.target)
            for (i, x) in p.indicators.enumerated() {
                let it = "\(at).indicators[\(i)]"
                add("\(it).name", "项目“\(p.name)”的第\(i + 1)个指标名称", "indicator \(i + 1) of “\(p.name)”", x.name)
                add("\(it).description", "项目“\(p.name)”指标“\(x.name)”的描述",
                    "the description of indicator “\(x.name)” of “\(p.name)”", x.description)
                add("\(it).basis", "项目“\(p.name)”指标“\(x.name)”的确定依据",
                    "the basis of indicator “\(x.name)” of “\(p.name)”", x.basis)
            }
        }
        for (i, line) in procurement.enumerated() {
            add("procurement[\(i)].projectName", "政府采购第\(i + 1)行的项目名称",
                "the project name of procurement line \(i + 1)", line.projectName)
            add("procurement[\(i)].itemName", "政府采购第\(i + 1)行的采购物品名称",
                "the item of procurement line \(i + 1)", line.itemName)
        }
        return fields
    }

    /// Rewrites every text field with `transform`, by path, so `textFields` and this cannot disagree on
    /// which fields exist.
    public mutating func rewriteTextFields(_ transform: (String) -> String) {
        narrative.duties = transform(narrative.duties)
        for key in narrative.notes.keys { narrative.notes[key] = narrative.notes[key].map(transform) }
        narrative.overallTarget = transform(narrative.overallTarget)
        narrative.dutyTargets = narrative.dutyTargets.map(transform)
        narrative.otherNotes = transform(narrative.otherNotes)
        for i in narrative.glossary.indices {
            narrative.glossary[i].definition = transform(narrative.glossary[i].definition)
        }
        operatingCosts.use = transform(operatingCosts.use)
        prior.reasons = ChangeReasons(total: transform(prior.reasons.total), basic: transform(prior.reasons.basic),
                                      project: transform(prior.reasons.project),
                                      threePublic: transform(prior.reasons.threePublic))
        for i in projects.indices {
            projects[i].name = transform(projects[i].name)
            projects[i].fundDocument = projects[i].fundDocument.map(transform)
            projects[i].use = transform(projects[i].use)
            projects[i].target = transform(projects[i].target)
            for j in projects[i].indicators.indices {
                projects[i].indicators[j].name = transform(projects[i].indicators[j].name)
                projects[i].indicators[j].description = transform(projects[i].indicators[j].description)
                projects[i].indicators[j].basis = transform(projects[i].indicators[j].basis)
            }
        }
        for i in procurement.indices {
            procurement[i].projectName = transform(procurement[i].projectName)
            procurement[i].itemName = transform(procurement[i].itemName)
        }
    }
}

/// A clerk's statement that a finding is not a mistake (e.g. a text that rightly names an earlier year).
/// It silences that finding for exactly that text of that field: once the text changes, the rule speaks again.
public struct FindingConfirmation: Sendable, Codable, Equatable {
    public var ruleID: String
    public var path: String
    public var subject: String
    public var by: String
    /// ISO 8601, when it was confirmed.
    public var at: String

    public init(ruleID: String, path: String, subject: String, by: String, at: String) {
        self.ruleID = ruleID
        self.path = path
        self.subject = subject
        self.by = by
        self.at = at
    }

    public func silences(_ f: Finding) -> Bool {
        f.ruleID == ruleID && f.path == path && f.subject == subject
    }
}

extension Array where Element == Character {
    func has(_ s: String, at index: Int) -> Bool {
        let needle = Array(s)
        guard index >= 0, index + needle.count <= count else { return false }
        return self[index..<(index + needle.count)].elementsEqual(needle)
    }

    func has(_ s: String, endingAt index: Int) -> Bool {
        has(s, at: index - s.count)
    }

    func number(at p: inout Int, maxDigits: Int) -> Int? {
        var end = p
        while end < count, end - p < maxDigits, self[end].isASCIIDigit { end += 1 }
        guard end > p, let n = Int(String(self[p..<end])) else { return nil }
        p = end
        return n
    }
}
