import Foundation
import FuzhengCore

/// The 发文稿纸 and the 收文处理单 as they go into a package: one self-contained page each (styles inline, nothing
/// fetched), printed to PDF and kept beside it as HTML. Every value passes `Markup.escape`.
enum ArchiveSheets {
    static let style = """
    @page { size: A4; margin: 20mm 18mm; }
    body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; line-height: 1.5; }
    h1 { font-size: 18pt; text-align: center; letter-spacing: 0.3em; margin: 0 0 6mm; color: #b00; }
    table { width: 100%; border-collapse: collapse; margin-bottom: 5mm; }
    th, td { border: 0.3mm solid #b00; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
    th { width: 22%; font-weight: normal; color: #b00; white-space: nowrap; }
    .lines th { width: auto; } .code { font-size: 10pt; text-align: right; margin: 0 0 2mm; }
    """

    static func page(title: String, code: String, fields: [(String, String)], linesHead: [String],
                     lines: [[String]], extra: String = "") -> String {
        var out = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>"
            + Markup.escape(title) + "</title><style>" + style + "</style></head><body>"
        out += "<h1>\(Markup.escape(title))</h1><p class=\"code\">档号：\(Markup.escape(code))</p><table>"
        for (k, v) in fields { out += "<tr><th>\(Markup.escape(k))</th><td>\(Markup.escape(v))</td></tr>" }
        out += "</table><table class=\"lines\"><thead><tr>"
            + linesHead.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for line in lines { out += "<tr>" + line.map { "<td>\(Markup.escape($0))</td>" }.joined() + "</tr>" }
        if lines.isEmpty { out += "<tr><td colspan=\"\(linesHead.count)\">（无）</td></tr>" }
        return out + "</tbody></table>" + extra + "</body></html>"
    }

    static let outgoingActions = ["forward": "通过", "sendBack": "退回", "void": "作废", "waive": "说明"]

    static func outgoing(item: ArchiveItemModel, doc: OutgoingDocument, issuers: [String], drafter: String,
                         events: [DocumentEventModel]) -> String {
        let fields: [(String, String)] = [
            ("文号", item.numberText), ("题名", doc.title), ("文种", doc.type.nameZh),
            ("发文机关", issuers.joined(separator: "、")),
            ("主送", doc.mainRecipients.map(\.name).joined(separator: "、")),
            ("抄送", doc.copyTo.map(\.name).joined(separator: "、")),
            ("密级", doc.secrecy.nameZh), ("紧急程度", doc.urgency.nameZh), ("公开属性", doc.openness.nameZh),
            ("拟稿", drafter), ("成文日期", doc.writtenOn), ("印发日期", doc.printedOn),
        ]
        let lines = events.map { e in
            [DocumentStep(rawValue: e.step)?.nameZh ?? e.step, e.displayName, outgoingActions[e.action] ?? e.action,
             e.comment + (e.signature == nil ? "" : "（手写签批）"), DocumentView.time(e.at)]
        }
        return page(title: "发文稿纸", code: item.code ?? "", fields: fields,
                    linesHead: ["环节", "办理人", "操作", "意见", "时间"], lines: lines)
    }

    static let incomingSteps = ["register": "登记", "propose": "拟办", "instruct": "批办", "handle": "承办",
                                "done": "办结"]
    static let incomingActions = ["register": "登记", "propose": "拟办", "instruct": "批示", "assist": "协办意见",
                                  "complete": "办结", "remind": "催办", "read": "阅", "circulate": "传阅"]

    static func incoming(_ m: IncomingModel, code: String, events: [IncomingEventModel], readings: [IncomingReadingModel],
                         reply: String?) -> String {
        let s = m.state
        var fields: [(String, String)] = [
            ("收文编号", m.numberText ?? ""), ("来文单位", m.sender), ("来文文号", m.senderNumber), ("题名", m.title),
            ("收文日期", m.receivedOn), ("密级", Secrecy(rawValue: m.secrecy)?.nameZh ?? m.secrecy),
            ("紧急程度", DocumentUrgency(rawValue: m.urgency)?.nameZh ?? m.urgency), ("份数", String(m.copies)),
            ("办理期限", s.due?.description ?? ""), ("办理结果", s.result ?? ""),
        ]
        if let reply { fields.append(("复文", reply)) }
        let lines = events.map { e in
            [incomingSteps[e.step] ?? e.step, e.displayName, incomingActions[e.action] ?? e.action,
             e.comment + (e.signature == nil ? "" : "（手写批示）"), DocumentView.time(e.at)]
        }
        var extra = ""
        if !readings.isEmpty {
            extra = "<table class=\"lines\"><thead><tr><th>传阅人</th><th>送阅时间</th><th>阅毕时间</th><th>阅示</th>"
                + "</tr></thead><tbody>" + readings.map { r in
                    "<tr><td>\(Markup.escape(r.readerName))</td><td>\(Markup.escape(DocumentView.time(r.sentAt)))</td>"
                        + "<td>\(Markup.escape(r.readAt.map(DocumentView.time) ?? "未阅"))</td>"
                        + "<td>\(Markup.escape(r.comment))</td></tr>"
                }.joined() + "</tbody></table>"
        }
        return page(title: "收文处理单", code: code, fields: fields,
                    linesHead: ["环节", "办理人", "操作", "意见", "时间"], lines: lines, extra: extra)
    }

    /// A received image on an A4 page, for its PDF.
    static func imagePage(_ data: Data, mediaType: String, title: String) -> String {
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>\(Markup.escape(title))</title>"
            + "<style>@page { size: A4; margin: 10mm; } img { max-width: 100%; max-height: 277mm; display: block; "
            + "margin: 0 auto; }</style></head><body><img alt=\"\(Markup.escape(title))\" src=\"data:"
            + Markup.escape(mediaType) + ";base64," + data.base64EncodedString() + "\"></body></html>"
    }
}
