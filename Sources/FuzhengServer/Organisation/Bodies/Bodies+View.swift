import FuzhengCore
import Plot
import Vapor

enum BodiesView {
    static let levels: [RelativeLevel] = [.province, .city, .county, .township, .peerCounty]

    static func render(_ ctx: PageContext, _ m: BodiesModel) -> Response {
        let l = ctx.l
        let r = m.register
        let options = [(value: "", label: l("bodies.choose"))] + r.bodies.map { (value: $0.code, label: $0.name) }
        return Layout.page(
            ctx, title: l("bodies.title"),
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
            .if(r.bodies.isEmpty, .p(.class("empty"), .text(l("bodies.none")))),
            .forEach(levels.filter { level in r.bodies.contains { $0.level == level } }) { level in
                .section(.class("card"),
                         .h2(.text(l("bodies.level.\(level.rawValue)"))),
                         .ul(.class("plain bodies"), .forEach(r.bodies.filter { $0.level == level }) { b in
                             .li(.class(b.kind == .section || b.kind == .unit ? "child" : ""),
                                 .strong(.text(b.name)), .text(" "),
                                 .span(.class("tag note"), .text(l("bodies.kind.\(b.kind.rawValue)"))),
                                 .if(!b.ledBy.isEmpty, .span(.class("muted"), .text(" " + l("bodies.ledBy",
                                     b.ledBy.compactMap { r[$0]?.name }.joined(separator: "、"))))))
                         }))
            }
        ).response()
    }
}
