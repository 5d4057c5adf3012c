import FuzhengCore
import Plot
import Vapor

enum DelegationView {
    static func stateTag(_ l: L10n, _ state: Delegation.State) -> Node<HTML.BodyContext> {
        let cls = switch state {
        case .active: "tag ok"
        case .upcoming: "tag note"
        case .ended, .revoked: "tag off"
        }
        return .span(.class(cls), .text(l("delegation.state.\(state.rawValue)")))
    }

    static func rows(_ ctx: PageContext, _ rows: [DelegationPageModel.Row],
        otherKey: String) -> Node<HTML.BodyContext> {
        let l = ctx.l
        return .div(.class("table-scroll"), .table(
            .class("data"),
            .thead(.tr(.th(.text(l(otherKey))), .th(.text(l("delegation.period"))), .th(.text(l("delegation.units"))),
                       .th(.text(l("delegation.reason"))), .th(.text(l("list.status"))),
                           .th(.text(l("list.actions"))))),
            .tbody(.forEach(rows) { r in
                .tr(.td(.text(r.other)),
                    .td(.text("\(DelegationController.day(r.starts)) — "
                              + DelegationController.day(r.ends.addingTimeInterval(-1)))),
                    .td(.text(r.units.isEmpty ? l("delegation.allUnits") : r.units.joined(separator: "、"))),
                    .td(.text(r.reason)),
                    .td(stateTag(l, r.state)),
                    .td(.class("actions"), .if(r.state == .active || r.state == .upcoming, .form(
                        .method(.post), .action(SiteRoute.delegationRevoke(id: r.id).path),
                        Form.csrf(ctx.csrfToken ?? ""),
                        .button(.type(.submit), .class("button small secondary"), .text(l("delegation.revoke")))))))
            })))
    }

    static func render(_ ctx: PageContext, _ m: DelegationPageModel, flash: String?,
                       status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let f = m.form
        return Layout.page(
            ctx, title: l("nav.delegations"),
            .alert(flash, kind: "success"),
            .p(.class("lead"), .text(l("delegation.intro"))),
            .section(.class("card"), .id("received"),
                     .h2(.text(l("delegation.received"))),
                     m.received.isEmpty ? .p(.class("empty"), .text(l("delegation.noneReceived")))
                         : rows(ctx, m.received, otherKey: "delegation.delegator")),
            .section(.class("card"), .id("given"),
                     .h2(.text(l("delegation.given"))),
                     m.given.isEmpty ? .p(.class("empty"), .text(l("delegation.noneGiven")))
                         : rows(ctx, m.given, otherKey: "delegation.deputy")),
            .if(m.canDelegate, .form(
                .class("card"), .id("new"), .method(.post), .action(SiteRoute.delegations.path),
                .attribute(named: "novalidate", value: "novalidate"),
                .h2(.text(l("delegation.new"))),
                Form.errorSummary(m.errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                Form.field(label: l("delegation.deputy"), name: "deputy", value: f.deputy ?? "",
                           error: m.errors["deputy"], required: true, autocomplete: "off",
                           hint: l("delegation.deputyHint")),
                .div(.class("grid2"),
                     Form.dateField(label: l("delegation.starts"), name: "starts", value: f.starts ?? "",
                                    hint: l("form.dateHint"), error: m.errors["starts"]),
                     Form.dateField(label: l("delegation.ends"), name: "ends", value: f.ends ?? "",
                                    hint: l("delegation.endsHint"), error: m.errors["ends"])),
                Form.field(label: l("delegation.units"), name: "units", value: f.units ?? "", error: m.errors["units"],
                           autocomplete: "off", hint: l("delegation.unitsHint")),
                Form.field(label: l("delegation.reason"), name: "reason", value: f.reason ?? "",
                           error: m.errors["reason"], autocomplete: "off"),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("delegation.create"))))))
        ).response(status: status)
    }
}
