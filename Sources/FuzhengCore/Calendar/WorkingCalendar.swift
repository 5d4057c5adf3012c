import Foundation

extension TimeZone {
    /// China Standard Time. A fixed UTC+8 rather than Asia/Shanghai: China has kept no daylight saving since 1991,
    /// and a fixed offset gives the same civil day on a host without a time-zone database.
    public static let chinaStandard: TimeZone = TimeZone(secondsFromGMT: 8 * 3600)!
}

/// A day on the calendar wall, without a time or a zone: what a notice, a deadline or a 收文日期 names.
///
/// Years are kept within 1…9999 (four-digit ISO years) so no arithmetic on a day can overflow; a month or day out
/// of range rolls over (year 2023, month 2, day 30 is 2023-03-02). `init?(_:)` is the one that refuses a bad date.
public struct CivilDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.init(serial: Self.serial(year: year, month: month, day: day))
    }

    /// "2023-09-28" exactly: four, two and two ASCII digits; nil for anything else or a day the month lacks.
    public init?(_ iso: String) {
        let u = Array(iso.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ from: Int, _ to: Int) -> Int? {
            var value = 0
            for c in u[from..<to] {
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10),
              y >= 1, (1...12).contains(m), d >= 1, d <= Self.daysIn(month: m, year: y)
        else { return nil }
        self.year = y
        self.month = m
        self.day = d
    }

    /// The civil day at `date` in `timeZone`; China Standard Time unless told otherwise, because a deadline is
    /// counted in Beijing whatever the server's zone.
    public init(_ date: Date, timeZone: TimeZone = .chinaStandard) {
        let seconds = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        let days = (seconds / 86_400).rounded(.down)
        // Clamped before Int(_:), which traps on NaN and on values beyond Int.
        let clamped = days.isNaN ? 0 : min(max(days, Double(Self.minSerial)), Double(Self.maxSerial))
        self.init(serial: Int(clamped))
    }

    /// Midnight at the start of the day in `timeZone`.
    public func start(timeZone: TimeZone = .chinaStandard) -> Date {
        let midnightUTC = Double(serial) * 86_400
        // The offset is read twice, the second time near local midnight, so a zone that changes its offset on
        // that day (daylight saving) still lands on its own midnight.
        let first = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: midnightUTC))
        let guess = Date(timeIntervalSince1970: midnightUTC - Double(first))
        return Date(timeIntervalSince1970: midnightUTC - Double(timeZone.secondsFromGMT(for: guess)))
    }

    public var description: String {
        Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601), the order 星期一…星期日 follows.
    public var weekday: Int {
        Self.floorMod(serial + 3, 7) + 1   // 1970-01-01, serial 0, was a Thursday
    }

    /// Clamped to 0001-01-01…9999-12-31.
    public func adding(days: Int) -> CivilDay {
        let span = Self.maxSerial - Self.minSerial
        return CivilDay(serial: serial + min(max(days, -span), span))
    }

    /// Calendar days from `from` to `to`: positive when `to` is later.
    public static func days(from: CivilDay, to: CivilDay) -> Int {
        to.serial - from.serial
    }

    public static func < (lhs: CivilDay, rhs: CivilDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CivilDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date YYYY-MM-DD: \(text)")
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Day numbers

    /// Days since 1970-01-01. Fields set directly to nonsense are clamped, not trapped on.
    var serial: Int { Self.serial(year: year, month: month, day: day) }

    /// The same day with its fields in range, for code that reads `year` after someone may have set the fields.
    var normalized: CivilDay { CivilDay(serial: serial) }

    init(serial: Int) {
        let (y, m, d) = Self.civil(fromSerial: min(max(serial, Self.minSerial), Self.maxSerial))
        year = y
        month = m
        day = d
    }

    static let minSerial = daysFromCivil(1, 1, 1)
    static let maxSerial = daysFromCivil(9999, 12, 31)

    static func serial(year: Int, month: Int, day: Int) -> Int {
        // Bounds far wider than 1…9999 yet small enough that nothing below can overflow.
        let y = min(max(year, -20_000), 20_000)
        let months = min(max(month, -240_000), 240_000) - 1
        let d = min(max(day, -8_000_000), 8_000_000)
        let s = daysFromCivil(y + floorDiv(months, 12), floorMod(months, 12) + 1, 1) + d - 1
        return min(max(s, minSerial), maxSerial)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil: the proleptic Gregorian calendar with eras of 400 years.
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromSerial serial: Int) -> (Int, Int, Int) {
        let z = serial + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// One year's 国务院办公厅关于X年部分节假日安排的通知, as a clerk would copy it from the notice.
public struct HolidayNotice: Codable, Sendable, Equatable {
    /// A block off as the notice words it, "9月29日至10月6日放假调休，共8天": the weekend days inside included.
    public struct Range: Codable, Sendable, Equatable {
        public var name: String
        public var from: CivilDay
        public var to: CivilDay

        public init(name: String, from: CivilDay, to: CivilDay) {
            self.name = name
            self.from = from
            self.to = to
        }

        public func contains(_ day: CivilDay) -> Bool { from <= day && day <= to }
    }

    /// A Saturday or Sunday worked instead, "10月7日（星期六）上班".
    public struct Workday: Codable, Sendable, Equatable {
        public var date: CivilDay
        public var name: String

        public init(date: CivilDay, name: String) {
            self.date = date
            self.name = name
        }
    }

    public var year: Int
    public var title: String
    /// 文号, e.g. 国办发明电〔2022〕16号.
    public var number: String?
    public var holidays: [Range]
    public var workdays: [Workday]

    public init(year: Int, title: String, number: String? = nil, holidays: [Range], workdays: [Workday]) {
        self.year = year
        self.title = title
        self.number = number
        self.holidays = holidays
        self.workdays = workdays
    }

    /// What is wrong with the notice as entered, each problem in Chinese and then English; empty when it can be used.
    /// A day may fall in the December before the notice's year: 元旦 2023 was 2022-12-31 to 2023-01-02.
    public func validate() -> [String] {
        var problems: [String] = []
        let year = min(max(self.year, 0), 10_000)   // a typed-in year of any size must not overflow `year - 1`
        let earliest = CivilDay(year: year - 1, month: 12, day: 1)
        let latest = CivilDay(year: year, month: 12, day: 31)
        func outside(_ day: CivilDay, of what: String, _ whatEnglish: String) {
            guard day < earliest || day > latest else { return }
            problems.append("\(what)的 \(day) 不在 \(year) 年内（只有上一年 12 月可以）"
                + " / \(day) of \(whatEnglish) is outside \(year) (only the previous December may be)")
        }
        if title.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("通知没有标题 / the notice has no title")
        }
        for block in holidays {
            if block.name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("\(block.from) 至 \(block.to) 的放假没有节日名称"
                    + " / the block \(block.from) to \(block.to) has no holiday name")
            }
            if block.to < block.from {
                problems.append("「\(block.name)」结束日 \(block.to) 早于开始日 \(block.from)"
                    + " / “\(block.name)” ends (\(block.to)) before it starts (\(block.from))")
            }
            outside(block.from, of: "「\(block.name)」", "“\(block.name)”")
            if block.to != block.from { outside(block.to, of: "「\(block.name)」", "“\(block.name)”") }
        }
        var latestEnd: Range?
        for block in holidays.filter({ $0.from <= $0.to }).sorted(by: { $0.from < $1.from }) {
            if let previous = latestEnd, block.from <= previous.to {
                problems.append("「\(block.name)」与「\(previous.name)」的放假日期重叠"
                    + " / “\(block.name)” overlaps “\(previous.name)”")
            }
            if (latestEnd?.to).map({ $0 < block.to }) ?? true { latestEnd = block }
        }
        var seen = Set<CivilDay>()
        for workday in workdays {
            let day = workday.date
            if workday.name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("调休上班日 \(day) 没有名称 / the workday \(day) has no name")
            }
            if !seen.insert(day).inserted {
                problems.append("调休上班日 \(day) 重复 / the workday \(day) is listed twice")
            }
            outside(day, of: "调休上班日", "the workday")
            if day.weekday <= 5 {
                problems.append("调休上班日 \(day) 是星期\(Self.chineseWeekdays[day.weekday - 1])，本来就上班"
                    + " / the workday \(day) is a \(Self.englishWeekdays[day.weekday - 1]), a working day anyway")
            }
            if let block = holidays.first(where: { $0.contains(day) }) {
                problems.append("调休上班日 \(day) 在「\(block.name)」放假期间内"
                    + " / the workday \(day) falls inside “\(block.name)”")
            }
        }
        return problems
    }

    private static let chineseWeekdays = ["一", "二", "三", "四", "五", "六", "日"]
    private static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}

/// Working days (工作日) as the State Council's notices make them: Monday to Friday, less the holiday blocks, plus
/// the Saturdays and Sundays worked instead. A year without a notice is provisional and counts weekends only; the
/// caller shows a warning until the 系统管理员 enters that year's notice (`with(_:)`).
public struct WorkingCalendar: Sendable {
    /// By year. A day is decided by the notice of its own year, then by the next year's (a 元旦 block may begin in
    /// December), then by the weekday.
    public var notices: [Int: HolidayNotice]

    /// A later notice for the same year replaces an earlier one.
    public init(notices: [HolidayNotice]) {
        self.notices = Dictionary(notices.map { ($0.year, $0) }, uniquingKeysWith: { $1 })
    }

    /// The rules file: {"notices": [HolidayNotice, …]}, each year once and each notice without `validate()` problems.
    public init(data: Data) throws {
        struct File: Decodable { var notices: [HolidayNotice] }
        let file = try JSONDecoder().decode(File.self, from: data)
        var problems: [String] = []
        var years = Set<Int>()
        for notice in file.notices {
            if !years.insert(notice.year).inserted {
                problems.append("\(notice.year) 年有两份通知 / two notices for \(notice.year)")
            }
            problems += notice.validate().map { "\(notice.year): \($0)" }
        }
        guard problems.isEmpty else {
            let description = problems.joined(separator: "; ")
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: description))
        }
        self.init(notices: file.notices)
    }

    /// The notices shipped in Resources/rules/working-days.json.
    public static let shared: WorkingCalendar = {
        do {
            return try WorkingCalendar(data: Catalogs.resource("working-days", "json", "rules"))
        } catch {
            preconditionFailure("FuzhengCore rules/working-days.json is missing or malformed: \(error)")
        }
    }()

    /// The calendar with `notice` in place of whatever its year had (the 系统管理员's form).
    public func with(_ notice: HolidayNotice) -> WorkingCalendar {
        var calendar = self
        calendar.notices[notice.year] = notice
        return calendar
    }

    public func isWorkingDay(_ d: CivilDay) -> Bool {
        switch listing(d.normalized) {
        case .worked?: return true
        case .off?: return false
        case nil: return d.weekday <= 5
        }
    }

    public func isProvisional(_ year: Int) -> Bool {
        notices[year] == nil
    }

    /// The block's name for a day inside a holiday block; nil for ordinary weekends, which no notice names.
    public func holidayName(_ d: CivilDay) -> String? {
        if case .off(let name)? = listing(d.normalized) { return name }
        return nil
    }

    /// The most working days `adding(workingDays:to:)` counts: about fourteen years, beyond any deadline.
    public static let maxWorkingDays = 3650
    /// The most calendar days it walks, so that a notice making every day a holiday cannot hang a request.
    static let maxScan = 20 * 366

    /// "N 个工作日" from a start day: the start day itself is not counted; the result is the N-th working day after it.
    /// n is clamped to 0…`maxWorkingDays` (a negative n counts as 0); n == 0 returns the start day.
    public func adding(workingDays n: Int, to start: CivilDay) -> CivilDay {
        let wanted = min(max(n, 0), Self.maxWorkingDays)
        var day = start.normalized
        var found = 0
        var walked = 0
        while found < wanted && walked < Self.maxScan {
            day = day.adding(days: 1)
            walked += 1
            if isWorkingDay(day) { found += 1 }
        }
        return day
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is before `from` (count of
    /// working days in (to, from], negated). Zero when equal. Exact for any span: weekdays are counted by arithmetic
    /// and only the days a notice lists are looked at one by one.
    public func workingDays(from: CivilDay, to: CivilDay) -> Int {
        let a = from.serial
        let b = to.serial
        if a == b { return 0 }
        if b < a { return -workingDays(from: to, to: from) }
        var count = Self.weekdayCount(a + 1, b)
        let firstYear = CivilDay(serial: a + 1).year
        let lastYear = CivilDay(serial: b).year
        var listed = Set<Int>()
        // A notice can only decide days of its own year and the year before (see `listing`), which bounds the walk
        // over each block even if a block was entered absurdly long.
        for (year, notice) in notices where year >= firstYear && year <= lastYear + 1 {
            let lo = max(a + 1, CivilDay(year: year - 1, month: 1, day: 1).serial)
            let hi = min(b, CivilDay(year: year, month: 12, day: 31).serial)
            guard lo <= hi else { continue }
            for block in notice.holidays {
                let from = max(block.from.serial, lo)
                let to = min(block.to.serial, hi)
                if from <= to { listed.formUnion(from...to) }
            }
            for workday in notice.workdays where (lo...hi).contains(workday.date.serial) {
                listed.insert(workday.date.serial)
            }
        }
        for serial in listed {
            let day = CivilDay(serial: serial)
            count += (isWorkingDay(day) ? 1 : 0) - (day.weekday <= 5 ? 1 : 0)
        }
        return count
    }

    /// Years the span [from, to] touches that are provisional (for the visible warning).
    public func provisionalYears(from: CivilDay, to: CivilDay) -> [Int] {
        let a = from.normalized.year
        let b = to.normalized.year
        return (min(a, b)...max(a, b)).filter(isProvisional)
    }

    private enum Listing {
        case worked
        case off(String)
    }

    private func listing(_ day: CivilDay) -> Listing? {
        for year in [day.year, day.year + 1] {
            guard let notice = notices[year] else { continue }
            if notice.workdays.contains(where: { $0.date == day }) { return .worked }
            if let block = notice.holidays.first(where: { $0.contains(day) }) { return .off(block.name) }
        }
        return nil
    }

    /// Monday-to-Friday days among the day numbers lo…hi.
    static func weekdayCount(_ lo: Int, _ hi: Int) -> Int {
        guard lo <= hi else { return 0 }
        let total = hi - lo + 1
        let first = CivilDay.floorMod(lo + 3, 7)   // 0 = Monday
        var count = total / 7 * 5
        for i in 0..<(total % 7) where (first + i) % 7 < 5 { count += 1 }
        return count
    }
}

/// The colour of a deadline: red when past (today after the due day), yellow when the due day is within
/// `warningDays` working days from today (including due today), green otherwise. Cases sort most urgent first.
public enum DeadlineColour: String, Sendable, CaseIterable, Comparable {
    case red, yellow, green

    public static let defaultWarningDays = 2

    /// A due day that is itself a holiday counts as near: nothing can be done on it.
    public static func of(due: CivilDay, today: CivilDay, warningDays: Int = DeadlineColour.defaultWarningDays,
                          calendar: WorkingCalendar = .shared) -> DeadlineColour {
        if CivilDay.days(from: today, to: due) < 0 { return .red }
        return calendar.workingDays(from: today, to: due) <= max(warningDays, 0) ? .yellow : .green
    }

    public static func < (lhs: DeadlineColour, rhs: DeadlineColour) -> Bool {
        lhs.urgency < rhs.urgency
    }

    private var urgency: Int {
        switch self {
        case .red: return 0
        case .yellow: return 1
        case .green: return 2
        }
    }
}
