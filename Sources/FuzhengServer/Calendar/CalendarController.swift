import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `/admin/calendar`: the years whose 节假日安排 deadlines count with, and the form the 系统管理员 enters a new year's
/// State Council notice in; until then that year counts weekends only and deadlines say so.
enum CalendarController {
    struct NoticeForm: Content {
        var year: String?
        var title: String?
        var number: String?
        var holidays: String?
        var workdays: String?
    }

    static func show(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        return try await page(req, form: [:], errors: [:], status: .ok)
    }

    static func page(_ req: Request, form: [String: String], errors: [String: String], status: HTTPResponseStatus)
        async throws -> Response {
        let today = CivilDay(req.now)
        let years = try await CalendarPageModel.query(on: req.db, today: today)
        let known = Set(years.map(\.year))
        let provisional = (today.year...today.year + 1).filter { !known.contains($0) }
        return CalendarView.render(req.pageContext(), CalendarPageModel(years: years, provisional: provisional,
                                                                        form: form, errors: errors),
                                   flash: req.takeFlash(), status: status)
    }

    static func save(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.require(.manageOrganisation)
        let f = try req.content.decode(NoticeForm.self)
        let fields = ["year": f.year ?? "", "title": f.title ?? "", "number": f.number ?? "",
                      "holidays": f.holidays ?? "", "workdays": f.workdays ?? ""]
        let l = req.l10n
        switch HolidayNoticeForm.read(year: fields["year"]!, title: fields["title"]!, number: fields["number"]!,
                                      holidays: fields["holidays"]!, workdays: fields["workdays"]!) {
        case .failure(let problems):
            var errors: [String: String] = [:]
            for p in problems.all {
                errors[p.field] = [errors[p.field], l.language == .zh ? p.zh : p.en].compactMap { $0 }
                    .joined(separator: l.language == .zh ? "；" : "; ")
            }
            return try await page(req, form: fields, errors: errors, status: .unprocessableEntity)
        case .success(let notice):
            let now = req.now
            let json = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
            try await req.audited { tx, audit in
                let existing = try await HolidayNoticeModel.find(notice.year, on: tx)
                let row = existing ?? HolidayNoticeModel()
                let before = existing?.noticeJSON
                row.id = notice.year
                row.noticeJSON = json
                row.enteredBy = user.displayName
                row.enteredAt = now
                if existing == nil { try await row.create(on: tx) } else { try await row.save(on: tx) }
                audit.add(AuditEvent(existing == nil ? .create : .update, objectType: "holiday_notice",
                                     objectID: String(notice.year), summary: "\(notice.year) \(notice.title): "
                                         + "\(notice.holidays.count) holiday blocks, \(notice.workdays.count) adjusted "
                                         + "working days" + (before == nil ? "" : " (replaced the earlier entry)")))
            }
            req.application.fuzheng.calendars.forget()
            req.setFlash("calendar.saved")
            return req.redirect(within: SiteRoute.adminCalendar.path)
        }
    }
}

enum CalendarView {
    static func render(_ ctx: PageContext, _ m: CalendarPageModel, flash: String?, status: HTTPResponseStatus)
        -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("calendar.title"),
            .alert(flash, kind: "success"),
            .p(.class("hint"), .text(l("calendar.rule"))),
            .forEach(m.provisional) { y in .p(.class("alert warning"), .text(l("calendar.provisional", String(y)))) },
            .forEach(m.years) { y in
                .section(.class("card"),
                    .h2(.text("\(y.year) · \(y.title)")),
                    .p(.class("muted"), .text([y.number, y.source.isEmpty ? l("calendar.shipped")
                        : l("calendar.entered", y.source)].compactMap { $0 }.joined(separator: " · "))),
                    .div(.class("table-scroll"), .table(.class("data"),
                        .thead(.tr(.th(.text(l("calendar.holiday"))), .th(.text(l("calendar.from"))),
                                   .th(.text(l("calendar.to"))))),
                        .tbody(.forEach(y.holidays) { h in
                            .tr(.td(.text(h.name)), .td(.text(h.from.description)), .td(.text(h.to.description)))
                        }))),
                    .if(!y.workdays.isEmpty, .p(.text(l("calendar.workdays") + "："
                        + y.workdays.map { "\($0.date)（\($0.name)）" }.joined(separator: "、")))))
            },
            .form(.class("card"), .method(.post), .action(SiteRoute.adminCalendar.path),
                  .attribute(named: "novalidate", value: "novalidate"),
                  .h2(.text(l("calendar.enter"))),
                  Form.errorSummary(m.errors.isEmpty ? nil : l("form.hasErrors")),
                  Form.csrf(ctx.csrfToken ?? ""),
                  .div(.class("grid3"),
                       Form.field(label: l("calendar.year"), name: "year", value: m.form["year"] ?? "",
                                  error: m.errors["year"], required: true, autocomplete: "off", inputMode: "numeric"),
                       Form.field(label: l("calendar.number"), name: "number", value: m.form["number"] ?? "",
                                  error: m.errors["number"], autocomplete: "off")),
                  Form.field(label: l("calendar.noticeTitle"), name: "title", value: m.form["title"] ?? "",
                             error: m.errors["title"], required: true, autocomplete: "off"),
                  Form.textarea(label: l("calendar.holidays"), name: "holidays", value: m.form["holidays"] ?? "",
                                error: m.errors["holidays"], rows: 8),
                  .p(.class("hint"), .text(l("calendar.holidaysHint"))),
                  Form.textarea(label: l("calendar.workdays"), name: "workdays", value: m.form["workdays"] ?? "",
                                error: m.errors["workdays"], rows: 4),
                  .p(.class("hint"), .text(l("calendar.workdaysHint"))),
                  .button(.type(.submit), .class("button primary"), .text(l("calendar.save")))))
        .response(status: status)
    }
}
