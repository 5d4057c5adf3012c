import FuzhengCore
import Plot
import Vapor

enum SealsView {
    static func render(_ ctx: PageContext, _ m: SealsPageModel, flash: (text: String, isError: Bool)?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("seals.title"),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.security.path), .text(l("seals.back")))),
            .p(.class("lead"), .text(l("seals.intro"))),
            m.keyPresent ? .empty : .p(.class("alert error"), .id("no-key"), .text(l("seals.noKey"))),
            .if(m.rows.isEmpty, .p(.class("empty"), .text(l("seals.none")))),
            .forEach(m.rows) { r in
                .section(.class("card seal"), .id("seal-\(r.code)"),
                    .h2(.text(r.name), .text(" "), .span(.class("tag note"), .text(r.prefix))),
                    .unwrap(r.digest, { digest in
                        .div(.class("seal-state"),
                             .unwrap(r.preview) { .img(.src($0), .alt(l("seals.previewAlt", r.name)),
                                                       .class("seal-preview")) },
                             .p(.text(l("seals.stored", r.uploadedBy ?? "",
                                        r.uploadedAt.map { DocumentView.time($0) } ?? "", r.size ?? ""))),
                             .p(.class("muted mono"), .text("SM3 " + digest)),
                             r.preview == nil ? .p(.class("alert error"), .text(l("seals.cannotOpen"))) : .empty)
                    }, else: .p(.class("muted"), .text(l("seals.missing")))),
                    .form(.method(.post), .action(SiteRoute.sealUpload(code: r.code).path),
                          .attribute(named: "enctype", value: "multipart/form-data"),
                          Form.csrf(ctx.csrfToken ?? ""),
                          .div(.class("field"), .label(.for("seal-file-\(r.code)"), .text(l("seals.file"))),
                               .input(.id("seal-file-\(r.code)"), .name("seal"), .type(.file),
                                      .attribute(named: "accept", value: "image/png")),
                               .p(.class("hint"), .text(l("seals.fileHint")))),
                          .button(.type(.submit), .class("button"),
                                  .text(l(r.digest == nil ? "seals.upload" : "seals.replace")))),
                    .if(r.digest != nil, .p(.a(.class("button danger"), .href(SiteRoute.sealRemove(code: r.code).path),
                                               .text(l("seals.remove"))))))
            }
        ).response()
    }
}
