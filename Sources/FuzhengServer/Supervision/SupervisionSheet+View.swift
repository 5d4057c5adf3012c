import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The 督办单 as one self-contained page (the archive's sheet style): the order, its sub-tasks and every act —
/// 交办, 签收, each report with its answer, 催办, 延期, 销号 — for print and for the archive package.
enum SupervisionSheet {
    static let actions = [
        "assign": "交办", "acknowledge": "签收", "report": "反馈", "report_accepted": "采纳反馈",
        "report_returned": "退回反馈", "remind": "催办", "auto_remind": "自动提醒", "extension": "申请延期",
        "extension_approved": "同意延期", "extension_refused": "不同意延期", "close": "销号", "reopen": "重新打开",
        "split": "分解", "replied": "答复", "satisfaction": "满意度评价", "escalate": "提请领导督办",
        "reply_drafted": "起草答复函",
    ]

    static func html(_ m: SupervisionItemModel, code: String, on db: Database) async throws -> String {
        let id = try m.requireID()
        let names = try await SupervisionQueries.unitNames(on: db)
        func unit(_ c: String) -> String { names[c] ?? c }
        let children = try await SupervisionItemModel.query(on: db).filter(\.$parentID == id).sort(\.$seq).all()
        let ids = [id] + children.compactMap(\.id)
        let events = try await SupervisionEventModel.query(on: db).filter(\.$item.$id ~~ ids).sort(\.$at).all()
        let files = try await SupervisionFileModel.query(on: db).filter(\.$item.$id ~~ ids).all()
        let numbers = Dictionary(([m] + children).map { ($0.id ?? UUID(), $0.numberText) },
                                 uniquingKeysWith: { a, _ in a })
        var fields: [(String, String)] = [
            ("督办编号", m.numberText), ("督办事项", m.title),
            ("来源", m.sourceValue.zh + (m.sourceText.isEmpty ? "" : "：\(m.sourceText)")),
            ("办理要求", m.requirement), ("牵头单位", unit(m.leadUnit)),
            ("配合单位", m.assistingList.map(unit).joined(separator: "、")), ("责任人", m.responsible),
            ("类别", m.kindValue.zh), ("报送周期", m.cycleValue.zh), ("立项日期", m.startOn),
            ("办理期限", m.deadline + (m.extendedTo.map { "（经批准延期至\($0)）" } ?? "")),
            ("办理结果", m.result), ("办结日期", m.closedOn ?? ""),
        ]
        if m.sourceValue.isProposal {
            fields.append(("提出人", m.proposer))
            fields.append(("答复日期", m.repliedOn ?? ""))
            fields.append(("满意度", m.satisfaction.flatMap(Satisfaction.init)?.zh ?? ""))
        }
        let lines = events.map { e -> [String] in
            var words = e.text
            if let p = e.percent { words = "进度\(p)%；" + words }
            if let d = e.day, e.action.hasPrefix("extension") { words = "至\(d)；" + words }
            if !e.answer.isEmpty { words += "（答复：\(e.answer)）" }
            let attached = files.filter { $0.$event.id == e.id }.map(\.name)
            if !attached.isEmpty { words += "（附件：\(attached.joined(separator: "、"))）" }
            return [numbers[e.$item.id] ?? "", DocumentView.time(e.at), e.displayName, actions[e.action] ?? e.action,
                    words]
        }
        var extra = ""
        if !children.isEmpty {
            extra = "<table class=\"lines\"><thead><tr><th>子任务</th><th>承办单位</th><th>期限</th><th>进度</th>"
                + "<th>办结日期</th></tr></thead><tbody>" + children.map { c in
                    "<tr><td>\(Markup.escape(c.numberText + " " + c.title))</td><td>\(Markup.escape(unit(c.leadUnit)))"
                        + "</td><td>\(Markup.escape(c.dueOn))</td><td>\(c.progress)%</td>"
                        + "<td>\(Markup.escape(c.closedOn ?? "未办结"))</td></tr>"
                }.joined() + "</tbody></table>"
        }
        return ArchiveSheets.page(title: "督办单", code: code, fields: fields.filter { !$0.1.isEmpty },
                                  linesHead: ["事项", "时间", "办理人", "操作", "内容"], lines: lines, extra: extra)
    }
}
