import FuzhengCore
import Plot
import Vapor

enum BodiesView {
    static let levels: [RelativeLevel] = [.province, .city, .county, .township, .peerCounty]

    /// One body with what belongs to it (sections of an office, units of a department) nested below.
    static func node(_ l: L10n, _ m: BodiesModel, _ b: Body) -> Node<HTML.ListContext> {
        let r = m.register
        let children: [Body] = r.bodies.filter { $0.parentCode == b.code }
        let extra: [(code: String, name: String)] = m.extraUnits[b.code] ?? []
        let leaders: String = b.ledBy.compactMap { r[$0]?.name }.joined(separator: "、")
        let showLeaders = !b.ledBy.isEmpty && b.kind != .section && b.kind != .unit
        let addSection: Node<HTML.BodyContext> = b.kind == .office
            ? .a(.class("button small"), .href(SiteRoute.adminBodyNew.path + "?parent=" + QueryText.encode(b.code)),
                 .text(l("bodies.addSection")))
            : .empty
        var items: [Node<HTML.ListContext>] = children.map { node(l, m, $0) }
        for unit in extra {
            items.append(.li(.a(.href(SiteRoute.adminUnitEdit(code: unit.code).path), .text(unit.name)), .text(" "),
                             .span(.class("tag note"), .text(l("bodies.kind.unit")))))
        }
        let sub: Node<HTML.BodyContext> = items.isEmpty ? .empty : .ul(.group(items))
        return .li(
            .a(.href(SiteRoute.adminBodyEdit(code: b.code).path), .strong(.text(b.name))), .text(" "),
            .span(.class("tag note"), .text(l("bodies.kind.\(b.kind.rawValue)"))),
            showLeaders ? .span(.class("muted"), .text(" " + l("bodies.ledBy", leaders))) : .empty,
            .text(" "), addSection, sub)
    }

    static func render(_ ctx: PageContext, _ m: BodiesModel) -> Response {
        let l = ctx.l
        let r = m.register
        let options = [(value: "", label: l("bodies.choose"))] + r.bodies.map { (value: $0.code, label: $0.name) }
        return Layout.page(
            ctx, title: l("bodies.title"),
            .alert(m.flash, kind: "success"),
            .p(.class("lead"), .text(l("bodies.intro"))),
            .form(.class("card filters"), .method(.get), .action(SiteRoute.adminBodies.path),
                  Form.select(label: l("bodies.from"), name: "from", options: options, selected: m.from ?? "",
                              required: false),
                  Form.select(label: l("bodies.to"), name: "to", options: options, selected: m.to ?? "",
                              required: false),
                  .button(.type(.submit), .class("button"), .text(l("bodies.check")))),
            .unwrap(m.direction) { d in
                .p(.id("direction"), .class("alert info"),
                   .text(l("bodies.result", r[m.from ?? ""]?.name ?? "", r[m.to ?? ""]?.name ?? "",
                           l("bodies.direction.\(d.rawValue)"))))
            },
            .p(.a(.class("button"), .href(SiteRoute.adminBodyNew.path), .text(l("bodies.new")))),
            .if(r.bodies.isEmpty, .p(.class("empty"), .text(l("bodies.none")))),
            .forEach(levels.filter { level in r.bodies.contains { $0.level == level } }) { level in
                .section(.class("card"),
                         .h2(.text(l("bodies.level.\(level.rawValue)"))),
                         .ul(.class("tree bodies"),
                             .forEach(r.bodies.filter { $0.level == level && $0.parentCode == nil }) { node(l, m,
                                 $0) }))
            }
        ).response()
    }
}

enum BodyEditView {
    static func render(_ ctx: PageContext, _ m: BodyEditModel, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let f = m.form
        let action = m.editing.map { SiteRoute.adminBodyEdit(code: $0).path } ?? SiteRoute.adminBodyNew.path
        let parents = [(value: "", label: l("bodies.noParent"))]
            + m.register.bodies.filter { $0.code != m.editing }.map { (value: $0.code, label: "\($0.code) \($0.name)") }
        return Layout.page(
            ctx, title: l(m.editing == nil ? "bodies.new" : "bodies.edit"),
            .p(.a(.href(SiteRoute.adminBodies.path), .text(l("bodies.back")))),
            .form(
                .class("card"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(m.errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                m.editing == nil
                    ? Form.field(label: l("bodies.code"), name: "code", value: f.code ?? "", error: m.errors["code"],
                                 required: true, autocomplete: "off", hint: l("bodies.codeHint"))
                    : .p(.text("\(l("bodies.code"))：\(f.code ?? "")")),
                Form.field(label: l("bodies.name"), name: "name", value: f.name ?? "", error: m.errors["name"],
                           required: true, autocomplete: "off"),
                .div(.class("grid2"),
                     Form.select(label: l("bodies.kind"), name: "kind",
                                 options: BodyKind.allCases.map { ($0.rawValue, l("bodies.kind.\($0.rawValue)")) },
                                 selected: f.kind ?? "", error: m.errors["kind"]),
                     Form.select(label: l("bodies.level"), name: "level",
                                 options: RelativeLevel.allCases.map { ($0.rawValue,
                                     l("bodies.level.\($0.rawValue)")) },
                                 selected: f.level ?? "", error: m.errors["level"])),
                Form.select(label: l("bodies.parent"), name: "parentCode", options: parents,
                            selected: f.parentCode ?? "", error: m.errors["parentCode"], required: false),
                Form.field(label: l("bodies.ledByField"), name: "ledBy", value: f.ledBy ?? "", error: m.errors["ledBy"],
                           autocomplete: "off", hint: l("bodies.ledByHint")),
                Form.field(label: l("bodies.prefix"), name: "numberPrefix", value: f.numberPrefix ?? "",
                           error: m.errors["numberPrefix"], autocomplete: "off", hint: l("bodies.prefixHint")),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(SiteRoute.adminBodies.path), .text(l("form.cancel"))))
            )
        ).response(status: status)
    }
}
