import Foundation
import FuzhengCore
import Plot
import Vapor

enum AvailabilityView {
    static func render(_ ctx: PageContext, model: AvailabilityMonth, flash: String?) -> Response {
        let l = ctx.l
        let s = model.summary
        let monthText = String(format: "%04d-%02d", model.year, model.month)
        let previous = model.month == 1 ? (model.year - 1, 12) : (model.year, model.month - 1)
        let next = model.month == 12 ? (model.year + 1, 1) : (model.year, model.month + 1)
        func monthLink(_ ym: (Int, Int)) -> String {
            SiteRoute.availability.path + "?month=" + String(format: "%04d-%02d", ym.0, ym.1)
        }
        let facts: [(String, String)] = [
            (l("availability.rate"), s.percentText),
            (l("availability.observed"), l("availability.minutes", String(s.minutesObserved))),
            (l("availability.down"), l("availability.minutes", String(s.minutesDown))),
            (l("availability.incidents"), String(model.incidents.count)),
            (l("availability.target"), l("availability.targetValue")),
        ]
        return Layout.page(
            ctx, title: l("availability.title", monthText),
            .alert(flash, kind: "success"),
            .nav(.class("pager"), .attribute(named: "aria-label", value: l("availability.months")),
                 .a(.href(monthLink(previous)), .text("← " + String(format: "%04d-%02d", previous.0, previous.1))),
                 .a(.href(monthLink(next)), .text(String(format: "%04d-%02d", next.0, next.1) + " →"))),
            .section(
                .h2(.text(l("availability.summary"))),
                .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) }),
                .p(.class("hint"), .text(l("availability.explain")))),
            .section(
                .h2(.text(l("availability.byDay"))),
                .if(s.minutesObserved == 0, .p(.class("muted"), .text(l("availability.noProbes")))),
                .if(s.minutesObserved > 0, .div(.class("table-scroll"), .table(
                    .class("data"),
                    .thead(.tr(.th(.text(l("availability.day"))), .th(.class("num"), .text(l("availability.observed"))),
                               .th(.class("num"), .text(l("availability.down"))),
                               .th(.class("num"), .text(l("availability.rate"))))),
                    .tbody(.forEach(model.days.filter { $0.observed > 0 }) { day in
                        let daySummary = AvailabilitySummary(minutesObserved: day.observed, minutesUp: day.up)
                        let level = (daySummary.ratePPM ?? 0) >= 999_000 ? "ok" : (daySummary.ratePPM ?? 0) >= 990_000
                            ? "warn" : "off"
                        return .tr(
                            .td(.text(String(format: "%04d-%02d-%02d", model.year, model.month, day.day))),
                            .td(.class("num"), .text(String(day.observed))),
                            .td(.class("num"), .text(String(day.observed - day.up))),
                            .td(.class("num"), .span(.class("tag \(level)"), .text(daySummary.percentText))))
                    })
                )))),
            .section(
                .h2(.text(l("incident.register"))),
                .p(.a(.class("button"), .href(SiteRoute.incidentNew.path), .text(l("incident.new")))),
                .if(model.incidents.isEmpty, .p(.class("muted"), .text(l("incident.none")))),
                .if(!model.incidents.isEmpty, .div(.class("table-scroll"), .table(
                    .class("data"),
                    .thead(.tr(.th(.text(l("incident.started"))), .th(.text(l("incident.kind"))),
                               .th(.text(l("incident.title"))), .th(.text(l("incident.recovery"))),
                               .th(.text(l("incident.backup"))), .th(.text(l("list.actions"))))),
                    .tbody(.forEach(model.incidents) { incident in
                        let recovery = incident.recovery
                        let level = recovery.withinTarget.map { $0 ? "ok" : "off" } ?? "warn"
                        return .tr(
                            .td(.text(IncidentTime.format(incident.startedAt))),
                            .td(.text(l("incident.kind.\(incident.kind.rawValue)"))),
                            .td(.text(incident.title)),
                            .td(.span(.class("tag \(level)"), .text(recovery.text))),
                            .td(.text(incident.backupRef.isEmpty ? "—" : incident.backupRef)),
                            .td(.a(.href(SiteRoute.incidentEdit(id: incident.id?.uuidString ?? "").path),
                                   .text(l("list.edit")))))
                    })
                ))))
        ).response()
    }
}

enum IncidentView {
    static func form(_ ctx: PageContext, action: String, form f: AvailabilityController.IncidentForm,
                     errors: [String: String]) -> Response {
        let l = ctx.l
        let kinds = IncidentKind.allCases.map { (value: $0.rawValue, label: l("incident.kind.\($0.rawValue)")) }
        let editing = f.version != nil
        return Layout.page(
            ctx, title: l(editing ? "incident.editTitle" : "incident.newTitle"),
            .form(
                .class("card"), .method(.post), .action(action),
                .attribute(named: "novalidate", value: "novalidate"),
                Form.csrf(ctx.csrfToken ?? ""),
                Form.errorSummary(errors["form"] ?? (errors.isEmpty ? nil : l("form.hasErrors"))),
                .if(editing, .input(.type(.hidden), .name("version"), .value(f.version ?? ""))),
                Form.field(label: l("incident.started"), name: "startedAt", value: f.startedAt ?? "",
                           error: errors["startedAt"], required: true, hint: l("incident.timeHint")),
                Form.field(label: l("incident.ended"), name: "endedAt", value: f.endedAt ?? "",
                           error: errors["endedAt"], hint: l("incident.endedHint")),
                Form.select(label: l("incident.kind"), name: "kind", options: kinds, selected: f.kind ?? "",
                            error: errors["kind"]),
                Form.field(label: l("incident.title"), name: "title", value: f.title ?? "", error: errors["title"],
                           required: true),
                Form.textarea(label: l("incident.cause"), name: "cause", value: f.cause ?? "", error: errors["cause"]),
                Form.textarea(label: l("incident.measures"), name: "measures", value: f.measures ?? "",
                              error: errors["measures"]),
                Form.field(label: l("incident.backup"), name: "backupRef", value: f.backupRef ?? "",
                           error: errors["backupRef"], hint: l("incident.backupHint")),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(SiteRoute.availability.path), .text(l("form.cancel"))))
            )
        ).response(status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
