import Foundation
import FuzhengCore
import Plot
import Vapor

/// The 部门决算 page: its findings first, the inputs grouped (stacked on a phone), the template and the upload, the
/// publication with its warnings, and the generated document below.
enum FinalView {
    static func downloads(_ l: L10n, _ link: (String) -> String) -> Node<HTML.BodyContext> {
        .div(.class("downloads"), .span(.text(l("disclosure.download"))),
             .forEach(DisclosurePages.downloadFormats) { f in
                 .a(.class("button small secondary"), .href(link(f.format)), .text(f.label))
             })
    }

    static func findings(_ l: L10n, _ list: [Finding]) -> Node<HTML.BodyContext> {
        .if(!list.isEmpty, .ul(.class("findings"), .forEach(list) { f in
            .li(.class("finding \(f.severity.rawValue)"),
                .span(.class("tag \(f.severity == .error ? "bad" : "warn")"), .text(f.ruleID)), .text(" "),
                .text(l.language == .en ? f.messageEn : f.messageZh))
        }))
    }

    static func render(_ ctx: PageContext, _ p: FinalPage, errors: [String: String], values: [String: String] = [:],
                       flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let fields = FinalForm.fields(p.accounts)
        let file = { (f: String) in SiteRoute.finalAccountsFile(code: p.unitCode, year: p.year, format: f).path }
        let rules = p.accounts.rules
        func input(_ f: FinalField) -> Node<HTML.FormContext> {
            let value = values[f.key] ?? f.value
            let label = l.language == .en ? f.en : f.zh
            switch f.kind {
            case .text:
                return Form.textarea(label: label, name: f.key, value: value, error: errors[f.key], rows: 2)
            case .amount:
                return Form.field(label: label + l("final.inYuan"), name: f.key, value: value, error: errors[f.key],
                                  autocomplete: "off", inputMode: "decimal")
            case .change:
                // No numeric keypad: a phone's has no minus sign.
                return Form.field(label: label + l("final.inYuan"), name: f.key, value: value, error: errors[f.key],
                                  autocomplete: "off")
            case .count, .quantity:
                return Form.field(label: label, name: f.key, value: value, error: errors[f.key], autocomplete: "off",
                                  inputMode: f.kind == .count ? "numeric" : "decimal")
            }
        }
        let form: Node<HTML.BodyContext> = .if(p.canEdit, .group(
            .form(.method(.post), .action(p.path), .id("final-inputs"), Form.csrf(ctx.csrfToken ?? ""),
                  .input(.type(.hidden), .name("version"), .value(String(p.version))),
                  .forEach(FinalForm.groups) { g in
                      let inGroup = fields.filter { $0.group == g.key }
                      return .if(!inGroup.isEmpty, .fieldset(.class("card"), .id("group-\(g.key)"),
                          .element(named: "legend", nodes: [.text(l.language == .en ? g.en : g.zh)]),
                          .if(g.key == "gaps", .p(.class("hint definition"),
                                                   .text(l("final.gapRule", String(rules.gapReasonPercent))))),
                          .if(g.key == "funds", .p(.class("hint definition"), .text(l("final.carryRule")))),
                          .if(g.key == "stated", .p(.class("hint definition"), .text(l("final.statedRule")))),
                          .div(.class(g.key == "gaps" || g.key == "texts" || g.key == "duties" ? "" : "grid3"),
                               .forEach(inGroup) { input($0) })))
                  },
                  .div(.class("actions"), .button(.type(.submit), .class("button primary"), .text(l("final.save"))))),
            .form(.method(.post), .action(p.path), .id("final-import"), .enctype(.multipartData), .class("card"),
                  Form.csrf(ctx.csrfToken ?? ""), .input(.type(.hidden), .name("version"), .value(String(p.version))),
                  .h2(.text(l("final.import.title"))),
                  .p(.class("hint"), .text(l("final.import.hint")), .text(" "),
                     .a(.href(file("template")), .text(l("final.import.template")))),
                  .div(.class("field"), .label(.for("final-file"), .text(l("final.import.file"))),
                       .input(.type(.file), .name("file"), .id("final-file"),
                              .attribute(named: "accept", value: ".xlsx"))),
                  .button(.type(.submit), .class("button secondary"), .text(l("final.import.submit")))),
            .form(.method(.post), .action(SiteRoute.finalAccountsPublish(code: p.unitCode, year: p.year).path),
                  .id("final-publish"), .class("card"), Form.csrf(ctx.csrfToken ?? ""),
                  .input(.type(.hidden), .name("version"), .value(String(p.version))),
                  .h2(.text(l("final.publish.title"))),
                  .if(!p.warnings.isEmpty, .div(.class("field"),
                      .label(.input(.type(.checkbox), .name("acceptWarnings"), .value(String(p.warnings.count))),
                             .text(" " + l("final.publish.ack", String(p.warnings.count)))))),
                  .button(.type(.submit), .class("button primary"),
                          .attribute(named: "disabled", value: p.errors.isEmpty ? nil : "disabled"),
                          .text(l(p.published ? "final.publish.again" : "final.publish.submit"))),
                  .if(!p.errors.isEmpty, .p(.class("hint"), .text(l("final.publish.blocked",
                                                                      String(p.errors.count))))))))
        return Layout.page(
            ctx, title: l("final.title", p.unitName, String(p.year)),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.class("status-chips"),
               .span(.class(p.published ? "tag ok" : "tag note"), .id("final-status"),
                     .text(l(p.published ? "final.status.published" : "final.status.draft"))),
               .if(p.changedSincePublished, .span(.class("tag warn"), .text(l("final.status.changed")))),
               .if(p.published, .group(.text(" "), .a(.href(SiteRoute.publicFinal(code: p.unitCode, year: p.year)
                                                                .path), .text(l("final.publicLink")))))),
            .section(.class("card"), .id("final-findings"),
                .h2(.text(l("final.findings", String(p.errors.count), String(p.warnings.count)))),
                .if(p.findings.isEmpty, .p(.class("empty"), .text(l("final.noFindings")))),
                findings(l, p.findings),
                .details(.summary(.text(l("final.rules"))),
                         .ul(.forEach(FinalChecks.all) { c in
                             .li(.text("\(c.id)：" + (l.language == .en ? c.titleEn : c.titleZh)))
                         }))),
            form,
            .div(.id("final-document"),
                downloads(l, file),
                DisclosurePages.body(DisclosureHTML.body(p.document))))
        .response(status: status)
    }

    static func publicPage(_ ctx: PageContext, _ p: FinalPage) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("final.public.title", p.unitName, String(p.year)),
            .nav(.class("crumbs"), .a(.href(SiteRoute.portal.path), .text(l("nav.portal"))), .text(" › "),
                 .a(.href(SiteRoute.publicUnit(code: p.unitCode).path), .text(p.unitName))),
            .p(.class("muted"), .text(l("final.public.date", p.publishedAt.map(DisclosurePages.date) ?? ""))),
            downloads(l) { SiteRoute.publicFinalFile(code: p.unitCode, year: p.year, format: $0).path },
            DisclosurePages.body(DisclosureHTML.body(p.document)))
        .response()
    }
}
