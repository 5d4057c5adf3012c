import Foundation
import FuzhengCore
import Testing

private func day(_ iso: String) -> CivilDay {
    guard let d = CivilDay(iso) else { preconditionFailure("bad test date \(iso)") }
    return d
}

/// Counted one day at a time, to check the calendar's arithmetic against the plainest reading of "working day".
private func walkedWorkingDays(_ calendar: WorkingCalendar, from: CivilDay, to: CivilDay) -> Int {
    var count = 0
    var d = from
    while d < to {
        d = d.adding(days: 1)
        if calendar.isWorkingDay(d) { count += 1 }
    }
    return count
}

/// A 2027 notice made up for the tests (not the State Council's): one block and one worked Sunday.
private let made2027 = HolidayNotice(
    year: 2027, title: "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
    holidays: [.init(name: "国庆节", from: day("2027-10-01"), to: day("2027-10-07"))],
    workdays: [.init(date: day("2027-09-26"), name: "国庆节调休")])

@Suite("Working calendar: the State Council's notices, 调休 and deadline colours")
struct WorkingCalendarTests {
    let calendar = WorkingCalendar.shared

    @Test("'5 个工作日' set on 2023-09-28 lands on 2023-10-11: 9-29…10-6 off, Saturday 10-7 and Sunday 10-8 worked")
    func fiveWorkingDaysAcrossNationalDay() {
        let start = day("2023-09-28")
        #expect(start.weekday == 4)
        #expect(calendar.adding(workingDays: 0, to: start) == start)
        #expect(calendar.adding(workingDays: 1, to: start) == day("2023-10-07"))
        #expect(calendar.adding(workingDays: 2, to: start) == day("2023-10-08"))
        #expect(calendar.adding(workingDays: 3, to: start) == day("2023-10-09"))
        #expect(calendar.adding(workingDays: 5, to: start) == day("2023-10-11"))
        #expect(calendar.workingDays(from: start, to: day("2023-10-11")) == 5)
        #expect(calendar.workingDays(from: day("2023-10-11"), to: start) == -5)
        #expect(calendar.workingDays(from: start, to: start) == 0)
        for d in ["2023-09-29", "2023-09-30", "2023-10-01", "2023-10-04", "2023-10-06"] {
            #expect(!calendar.isWorkingDay(day(d)), "\(d)")
            #expect(calendar.holidayName(day(d)) == "中秋节、国庆节")
        }
        #expect(calendar.isWorkingDay(day("2023-10-07")) && calendar.isWorkingDay(day("2023-10-08")))
        #expect(calendar.holidayName(day("2023-10-07")) == nil)
    }

    @Test("Spring Festival 2024: 2-10…2-17 off, Sundays 2-4 and 2-18 worked, 除夕 2-9 a working Friday")
    func springFestival2024() {
        #expect(day("2024-02-04").weekday == 7 && day("2024-02-18").weekday == 7)
        #expect(calendar.isWorkingDay(day("2024-02-04")))
        #expect(calendar.isWorkingDay(day("2024-02-18")))
        #expect(calendar.isWorkingDay(day("2024-02-09")))
        for offset in 0...7 {
            let d = day("2024-02-10").adding(days: offset)
            #expect(!calendar.isWorkingDay(d), "\(d)")
            #expect(calendar.holidayName(d) == "春节")
        }
        #expect(!calendar.isWorkingDay(day("2024-02-03")) && !calendar.isWorkingDay(day("2024-02-24")))
        #expect(calendar.holidayName(day("2024-02-24")) == nil)   // an ordinary Saturday
        #expect(calendar.adding(workingDays: 1, to: day("2024-02-09")) == day("2024-02-18"))
    }

    @Test("the notices 2023–2026 are shipped, with their 文号; 元旦 2023 begins on 2022-12-31")
    func shippedNotices() {
        #expect(calendar.notices.keys.sorted() == [2023, 2024, 2025, 2026])
        #expect(calendar.notices[2023]?.number == "国办发明电〔2022〕16号")
        #expect(calendar.notices[2026]?.number == "国办发明电〔2025〕7号")
        for notice in calendar.notices.values { #expect(notice.validate() == [], "\(notice.year)") }
        #expect(calendar.holidayName(day("2022-12-31")) == "元旦")
        #expect(!calendar.isWorkingDay(day("2023-01-02")))   // a Monday
        #expect(calendar.isProvisional(2022))
        // 2025 under the amended 放假办法: 春节 from 除夕, eight days; 国庆节、中秋节 eight days.
        #expect(calendar.workingDays(from: day("2025-01-27"), to: day("2025-02-05")) == 1)
        #expect(calendar.holidayName(day("2025-10-08")) == "国庆节、中秋节")
        #expect(calendar.isWorkingDay(day("2026-01-04")) && !calendar.isWorkingDay(day("2026-02-23")))
    }

    @Test("a year without a notice counts weekends only and is reported as provisional")
    func provisionalYear() {
        #expect(calendar.isProvisional(2027) && !calendar.isProvisional(2026))
        #expect(calendar.isWorkingDay(day("2027-10-01")))   // a Friday: no notice yet
        #expect(!calendar.isWorkingDay(day("2027-10-02")))
        #expect(calendar.holidayName(day("2027-10-01")) == nil)
        #expect(calendar.adding(workingDays: 5, to: day("2027-09-30")) == day("2027-10-07"))
        #expect(calendar.provisionalYears(from: day("2026-12-01"), to: day("2028-01-10")) == [2027, 2028])
        #expect(calendar.provisionalYears(from: day("2028-01-10"), to: day("2026-12-01")) == [2027, 2028])
        #expect(calendar.provisionalYears(from: day("2023-01-01"), to: day("2026-12-31")) == [])
    }

    @Test("a notice entered later replaces that year's, and leaves the shipped calendar alone")
    func replaceYear() {
        let entered = calendar.with(made2027)
        #expect(!entered.isProvisional(2027) && calendar.isProvisional(2027))
        #expect(!entered.isWorkingDay(day("2027-10-01")) && entered.holidayName(day("2027-10-05")) == "国庆节")
        #expect(entered.isWorkingDay(day("2027-09-26")))
        #expect(entered.adding(workingDays: 1, to: day("2027-09-30")) == day("2027-10-08"))
        #expect(entered.provisionalYears(from: day("2026-12-01"), to: day("2028-01-10")) == [2028])

        let bare = calendar.with(HolidayNotice(year: 2024, title: "空白", holidays: [], workdays: []))
        #expect(bare.isWorkingDay(day("2024-02-12")) && !bare.isWorkingDay(day("2024-02-04")))
        #expect(bare.notices[2024]?.title == "空白" && bare.notices.count == 4)
        #expect(calendar.isWorkingDay(day("2024-02-04")))
    }

    @Test("validate() names each problem in Chinese and English")
    func validation() {
        #expect(made2027.validate() == [])
        let bad = HolidayNotice(year: 2027, title: "测试", holidays: [
            .init(name: "春节", from: day("2027-02-10"), to: day("2027-02-05")),        // ends before it starts
            .init(name: "元旦", from: day("2026-11-30"), to: day("2027-01-01")),        // starts outside the year
            .init(name: "劳动节", from: day("2027-05-01"), to: day("2027-05-05")),
            .init(name: "五四", from: day("2027-05-04"), to: day("2027-05-06")),        // overlaps 劳动节
        ], workdays: [
            .init(date: day("2027-04-28"), name: "劳动节调休"),                          // a Wednesday
            .init(date: day("2027-05-01"), name: "劳动节调休"),                          // a Saturday inside 劳动节
        ])
        let problems = bad.validate()
        #expect(problems.count == 5, "\(problems)")
        #expect(problems.allSatisfy { $0.contains(" / ") })
        #expect(problems.contains { $0.contains("ends") && $0.contains("春节") })
        #expect(problems.contains { $0.contains("2026-11-30") && $0.contains("outside 2027") })
        #expect(problems.contains { $0.contains("overlaps") })
        #expect(problems.contains { $0.contains("2027-04-28") && $0.contains("Wednesday") })
        #expect(problems.contains { $0.contains("2027-05-01") && $0.contains("inside") })

        let file = Data("""
        {"notices": [{"year": 2027, "title": "测试", "holidays": [], "workdays": [{"date": "2027-04-28", "name": "x"}]}]}
        """.utf8)
        #expect(throws: DecodingError.self) { try WorkingCalendar(data: file) }
        let badDate = Data("""
        {"notices": [{"year": 2027, "title": "t", "holidays": [], "workdays": [{"date": "2027-02-30", "name": "x"}]}]}
        """.utf8)
        #expect(throws: DecodingError.self) { try WorkingCalendar(data: badDate) }
    }

    @Test("deadline colours: red past due, yellow within two working days (due today too), green beyond")
    func deadlineColours() {
        let monday = day("2024-03-04")
        #expect(DeadlineColour.of(due: day("2024-03-03"), today: monday) == .red)
        #expect(DeadlineColour.of(due: monday, today: monday) == .yellow)
        #expect(DeadlineColour.of(due: day("2024-03-06"), today: monday) == .yellow)
        #expect(DeadlineColour.of(due: day("2024-03-07"), today: monday) == .green)
        #expect(DeadlineColour.of(due: day("2024-03-07"), today: monday, warningDays: 3) == .yellow)
        #expect(DeadlineColour.of(due: day("2024-03-05"), today: monday, warningDays: 0) == .green)
        #expect(DeadlineColour.defaultWarningDays == 2)

        // Seen from 2023-09-28 the holiday block counts for nothing: 10-8 is two working days off, 10-9 three.
        let before = day("2023-09-28")
        #expect(DeadlineColour.of(due: day("2023-10-03"), today: before) == .yellow)
        #expect(DeadlineColour.of(due: day("2023-10-08"), today: before) == .yellow)
        #expect(DeadlineColour.of(due: day("2023-10-09"), today: before) == .green)
        #expect(DeadlineColour.of(due: day("2023-10-09"), today: day("2023-10-10")) == .red)

        #expect([DeadlineColour.green, .red, .yellow].sorted() == [.red, .yellow, .green])
        #expect(DeadlineColour.allCases.map(\.rawValue) == ["red", "yellow", "green"])
    }

    @Test("working-day arithmetic agrees with walking day by day, 2022–2027")
    func arithmeticAgrees() {
        let entered = calendar.with(made2027)
        var start = day("2022-11-01")
        while start < day("2027-12-31") {
            for n in [1, 2, 5, 10, 20] {
                let end = entered.adding(workingDays: n, to: start)
                #expect(entered.workingDays(from: start, to: end) == n, "\(start) + \(n)")
                #expect(entered.isWorkingDay(end))
            }
            for span in [1, 9, 40, 400] {
                let end = start.adding(days: span)
                #expect(entered.workingDays(from: start, to: end) == walkedWorkingDays(entered, from: start, to: end))
            }
            start = start.adding(days: 5)
        }
    }

    @Test("huge or nonsense input is clamped, never trapped on")
    func limits() {
        let start = day("2023-09-28")
        #expect(calendar.adding(workingDays: Int.max, to: start)
                == calendar.adding(workingDays: WorkingCalendar.maxWorkingDays, to: start))
        #expect(calendar.adding(workingDays: -5, to: start) == start)
        let first = CivilDay(year: 1, month: 1, day: 1)
        let last = CivilDay(year: 9999, month: 12, day: 31)
        #expect(calendar.workingDays(from: first, to: last) > 2_000_000)
        #expect(last.adding(days: Int.max) == last && first.adding(days: Int.min) == first)
        #expect(CivilDay(year: Int.max, month: Int.min, day: Int.max).year >= 1)
        #expect(calendar.provisionalYears(from: first, to: last).count == 9999 - 4)
        #expect(CivilDay(Date(timeIntervalSince1970: .infinity)) == last)
        #expect(CivilDay(Date(timeIntervalSince1970: .nan)) == day("1970-01-01"))
        let block = HolidayNotice.Range(name: "元旦", from: day("2023-01-01"), to: day("2023-01-01"))
        #expect(HolidayNotice(year: Int.min, title: "t", holidays: [block], workdays: []).validate().count == 1)
        let farOff = HolidayNotice(year: Int.max, title: "t", holidays: [], workdays: [])
        #expect(calendar.with(farOff).isProvisional(2027) && calendar.with(farOff).isWorkingDay(last))
    }

    @Test("CivilDay parses only real dates, counts signed days and has ISO weekdays")
    func civilDay() throws {
        #expect(CivilDay("2023-02-30") == nil)
        #expect(CivilDay("2023-02-29") == nil)
        #expect(CivilDay("2024-02-29") == CivilDay(year: 2024, month: 2, day: 29))
        for bad in ["", "2023-9-28", "2023/09/28", "2023-09-28 ", "２０２３-09-28", "0000-01-01", "2023-13-01",
                    "2023-00-10", "2023-04-31", "abcd-ef-gh"] {
            #expect(CivilDay(bad) == nil, "\(bad)")
        }
        #expect(CivilDay(year: 2023, month: 2, day: 30) == day("2023-03-02"))   // rolls over
        #expect(day("2023-09-28").description == "2023-09-28")
        #expect(CivilDay(year: 7, month: 1, day: 5).description == "0007-01-05")
        #expect(day("2023-09-25").weekday == 1 && day("2023-10-01").weekday == 7)
        #expect(day("2023-12-31").adding(days: 1) == day("2024-01-01"))
        #expect(day("2024-03-01").adding(days: -1) == day("2024-02-29"))
        #expect(CivilDay.days(from: day("2023-09-28"), to: day("2023-10-11")) == 13)
        #expect(CivilDay.days(from: day("2024-01-01"), to: day("2023-01-01")) == -365)
        #expect(day("2023-09-28") < day("2023-10-01") && day("2023-12-31") < day("2024-01-01"))

        let encoded = try JSONEncoder().encode([day("2023-09-28")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["2023-09-28"]"#)
        #expect(try JSONDecoder().decode([CivilDay].self, from: encoded) == [day("2023-09-28")])
    }

    @Test("the civil day of an instant is read in China Standard Time (UTC+8), midnight included")
    func chinaStandardTime() {
        #expect(TimeZone.chinaStandard.secondsFromGMT() == 8 * 3600)
        let midnight = Date(timeIntervalSince1970: 1_695_830_400)   // 2023-09-27T16:00:00Z = 2023-09-28 00:00 +08
        #expect(CivilDay(midnight) == day("2023-09-28"))
        #expect(CivilDay(midnight.addingTimeInterval(-1)) == day("2023-09-27"))
        #expect(CivilDay(midnight.addingTimeInterval(86_399)) == day("2023-09-28"))
        #expect(CivilDay(midnight.addingTimeInterval(86_400)) == day("2023-09-29"))
        #expect(CivilDay(midnight, timeZone: TimeZone(secondsFromGMT: 0)!) == day("2023-09-27"))
        #expect(day("2023-09-28").start() == midnight)
        #expect(day("2023-09-28").start(timeZone: TimeZone(secondsFromGMT: 0)!)
                == Date(timeIntervalSince1970: 1_695_859_200))
        #expect(CivilDay(Date(timeIntervalSince1970: -1), timeZone: TimeZone(secondsFromGMT: 0)!)
                == day("1969-12-31"))
    }
}
