import Foundation

/// A year's 节假日安排 as the 系统管理员 types it from the State Council's notice: one holiday block per line
/// ("国庆节、中秋节 2027-10-01 2027-10-07") and one 调休 working day per line ("2027-09-26 国庆节调休"). Every
/// problem names its field and line.
public enum HolidayNoticeForm {
    public static func read(year: String, title: String, number: String, holidays: String, workdays: String)
        -> Result<HolidayNotice, FieldProblems> {
        var problems: [FieldProblem] = []
        var y = 0
        switch NumberInput.integer(year, range: 2000...2100) {
        case .success(let n): y = n
        case .failure: problems.append(FieldProblem(field: "year", zh: "年份应为 2000 至 2100", en: "the year must be "
                                                    + "2000 to 2100"))
        }
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty || t.count > 200 {
            problems.append(FieldProblem(field: "title", zh: "请填写通知标题（200 字以内）",
                                         en: "enter the notice's title (at most 200 characters)"))
        }
        func lines(_ text: String) -> [(Int, [String])] {
            text.split(whereSeparator: \.isNewline).enumerated().compactMap { i, raw in
                let parts = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "　" }).map(String.init)
                return parts.isEmpty ? nil : (i + 1, parts)
            }
        }
        func day(_ s: String) -> CivilDay? { DayInput.iso(s).flatMap(CivilDay.init) }
        var blocks: [HolidayNotice.Range] = []
        for (n, parts) in lines(holidays).prefix(50) {
            let dates = parts.compactMap(day)
            let name = parts.filter { day($0) == nil }.joined(separator: " ")
            guard dates.count == 2, !name.isEmpty else {
                problems.append(FieldProblem(field: "holidays", zh: "放假安排第 \(n) 行应为“名称 起始日 结束日”",
                                             en: "holidays, line \(n): write “name first-day last-day”"))
                continue
            }
            blocks.append(HolidayNotice.Range(name: String(name.prefix(50)), from: dates[0], to: dates[1]))
        }
        var adjusted: [HolidayNotice.Workday] = []
        for (n, parts) in lines(workdays).prefix(50) {
            let dates = parts.compactMap(day)
            let name = parts.filter { day($0) == nil }.joined(separator: " ")
            guard dates.count == 1, !name.isEmpty else {
                problems.append(FieldProblem(field: "workdays", zh: "调休上班第 \(n) 行应为“日期 名称”",
                                             en: "adjusted working days, line \(n): write “date name”"))
                continue
            }
            adjusted.append(HolidayNotice.Workday(date: dates[0], name: String(name.prefix(50))))
        }
        if blocks.isEmpty && problems.allSatisfy({ $0.field != "holidays" }) {
            problems.append(FieldProblem(field: "holidays", zh: "请填写放假安排", en: "enter the holidays"))
        }
        guard problems.isEmpty else { return .failure(FieldProblems(problems)) }
        let n = number.trimmingCharacters(in: .whitespacesAndNewlines)
        let notice = HolidayNotice(year: y, title: t, number: n.isEmpty ? nil : String(n.prefix(50)),
                                   holidays: blocks, workdays: adjusted)
        let found = notice.validate()
        guard found.isEmpty else {
            return .failure(FieldProblems(found.map { text in
                let halves = text.components(separatedBy: " / ")
                return FieldProblem(field: "holidays", zh: halves.first ?? text, en: halves.dropFirst().first ?? text)
            }))
        }
        return .success(notice)
    }
}
