import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers
import Vapor

/// A year's 节假日安排 entered by the 系统管理员 (a year the shipped data file does not yet hold, or a correction):
/// it replaces that year of `rules/working-days.json` everywhere deadlines are counted.
final class HolidayNoticeModel: Model, @unchecked Sendable {
    static let schema = "holiday_notices"
    @ID(custom: "year", generatedBy: .user) var id: Int?
    @Field(key: "notice") var noticeJSON: String
    @Field(key: "entered_by") var enteredBy: String
    @Field(key: "entered_at") var enteredAt: Date
    init() {}

    var notice: HolidayNotice? { try? JSONDecoder().decode(HolidayNotice.self, from: Data(noticeJSON.utf8)) }
}

struct M022CreateHolidayNotices: AsyncMigration {
    var name: String { "M022CreateHolidayNotices" }

    func prepare(on database: Database) async throws {
        try await database.schema(HolidayNoticeModel.schema)
            .field("year", .int, .identifier(auto: false))
            .field("notice", .string, .required)
            .field("entered_by", .string, .required)
            .field("entered_at", .datetime, .required)
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema(HolidayNoticeModel.schema).delete() }
}

/// The working calendar in force: the shipped notices with the entered ones over them. Read at most every 30 s per
/// app server (a notice entered on another server is seen within that), and at once on the server that saved it.
final class CalendarStore: Sendable {
    private let cached = NIOLockedValueBox<(WorkingCalendar, Date)?>(nil)
    static let freshFor: TimeInterval = 30

    func current(on db: Database, now: Date = Date()) async throws -> WorkingCalendar {
        if let (calendar, read) = cached.withLockedValue({ $0 }), now.timeIntervalSince(read) < Self.freshFor,
           now >= read {
            return calendar
        }
        var calendar = WorkingCalendar.shared
        for row in try await HolidayNoticeModel.query(on: db).all() {
            if let notice = row.notice { calendar = calendar.with(notice) }
        }
        let result = calendar
        cached.withLockedValue { $0 = (result, now) }
        return result
    }

    func forget() { cached.withLockedValue { $0 = nil } }
}

struct CalendarPageModel: Sendable {
    struct Year: Sendable {
        var year: Int
        var title: String
        var number: String?
        var source: String
        var holidays: [HolidayNotice.Range]
        var workdays: [HolidayNotice.Workday]
    }

    var years: [Year]
    var provisional: [Int]
    var form: [String: String]
    var errors: [String: String]

    static func query(on db: Database, today: CivilDay) async throws -> [Year] {
        var entered: [Int: HolidayNoticeModel] = [:]
        for row in try await HolidayNoticeModel.query(on: db).all() { if let y = row.id { entered[y] = row } }
        var out: [Year] = []
        var notices = WorkingCalendar.shared.notices
        for (y, row) in entered { if let n = row.notice { notices[y] = n } }
        for (y, n) in notices.sorted(by: { $0.key > $1.key }) {
            out.append(Year(year: y, title: n.title, number: n.number,
                            source: entered[y].map { "\($0.enteredBy) · \(DocumentView.time($0.enteredAt))" } ?? "",
                            holidays: n.holidays, workdays: n.workdays))
        }
        return out
    }
}
