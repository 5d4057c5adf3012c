import Fluent
import Foundation
import FuzhengCore
import Vapor

/// A first start shows 公文 in every state: an issued 通知 on meetings in the county government's name (a duty of the
/// office the seed names), a 请示 to the city government waiting for the 县长, a 会签 between the office and the
/// finance bureau waiting for the bureau, one at 核稿 with findings, one numbered and waiting for 用印, and a draft.
/// Loaded by `serve` with the demo organisation only, never in tests.
enum DemoDocuments {
    struct Step {
        var step: DocumentStep
        var username: String
        var name: String
        var comment: String
    }

    struct Item {
        var document: OutgoingDocument
        var drafter: (String, String)
        var at: DocumentStep
        var countersign: [String] = []
        var countersigned: [String] = []
        var steps: [Step]
        /// An earlier year's document (the archive's closed years); nil: this year.
        var year: Int?
        var on: Date?
    }

    static func items(year: Int) -> [Item] {
        let bangong = ("bangong", "张秘书")
        let meetings = OutgoingDocument(
            type: .notice, issuers: ["434"], title: "怀来县人民政府办公室关于严格控制以县政府名义召开会议的通知",
            mainRecipients: [Recipient(name: "各乡镇人民政府"), Recipient(name: "县政府各部门")], body: """
                为精简会议、改进会风，经县政府同意，现就以县政府名义召开会议有关事项通知如下：
                一、严格审批
                （一）以县政府名义召开的会议，须由主办部门提前5个工作日报县政府办公室，经分管副县长同意后报县长审批。
                （二）能合并召开的会议一律合并，能以视频形式召开的不集中召开。
                二、控制规模
                1.全县性会议参会人员一般不超过150人。
                2.会期一般不超过半天。
                三、其他事项
                会议费按《党政机关会议费管理办法》执行，会议审批表见附件。
                """, attachments: ["以县政府名义召开会议审批表"], printedBy: "怀来县人民政府办公室",
            writtenOn: "\(year)年3月6日")
        let request = OutgoingDocument(
            type: .request, issuers: ["XZF"], title: "怀来县人民政府关于申请全县党政机关一体化移动办公系统建设资金的请示",
            mainRecipients: [Recipient(code: "130700-ZF", name: "张家口市人民政府")], body: """
                一、项目概况
                我县全县党政机关一体化移动办公系统计划投资500万元，实现全县各级党政机关网络化、无纸化办公。
                二、资金需求
                县级财政已安排500万元，尚需市级支持建设资金。
                妥否，请批示。
                """, printedBy: "怀来县人民政府办公室", writtenOn: "\(year)年4月8日")
        let joint = OutgoingDocument(
            type: .notice, issuers: ["434", "436"],
            title: "怀来县人民政府办公室 怀来县财政局关于做好部门预算信息公开工作的通知",
            mainRecipients: [Recipient(name: "县直各部门")], body: """
                一、公开时间
                部门预算经批复后20日内向社会公开。
                二、公开内容
                公开表样见附件1，公开说明参考附件2。
                """, attachments: ["部门预算公开表样", "部门预算公开说明参考文本"], printedBy: "怀来县人民政府办公室",
            writtenOn: "\(year)年2月20日")
        let checking = OutgoingDocument(
            type: .notice, issuers: ["434"], title: "关于开展政务信息报送工作",
            mainRecipients: [Recipient(name: "县政府各部门")], body: """
                一、报送内容
                1.重要工作进展。
                二、报送要求
                报送格式见附件2。
                """, attachments: ["政务信息报送模板"], printedBy: "怀来县人民政府办公室")
        let sealing = OutgoingDocument(
            type: .circular, issuers: ["434"], title: "怀来县人民政府办公室关于第一季度督查工作情况的通报",
            mainRecipients: [Recipient(name: "县政府各部门")], body: """
                一、总体情况
                第一季度共立项督办事项36件，按期办结33件。
                二、存在问题
                个别单位反馈不及时。
                """, printedBy: "怀来县人民政府办公室", writtenOn: "\(year)年4月15日")
        let draft = OutgoingDocument(
            type: .letter, issuers: ["434"], title: "怀来县人民政府办公室关于商请协助做好政务服务事项对接的函",
            mainRecipients: [Recipient(code: "130731-ZF", name: "涿鹿县人民政府")], body: "一、对接事项\n请予支持为盼。",
            printedBy: "怀来县人民政府办公室")
        // The seed's own year: issued in March 2023, filed and numbered in the archive's closed year.
        let openness2023 = OutgoingDocument(
            type: .notice, issuers: ["434"], title: "怀来县人民政府办公室关于印发2023年政务公开工作要点的通知",
            mainRecipients: [Recipient(name: "各乡镇人民政府"), Recipient(name: "县政府各部门")], body: """
                现将《怀来县2023年政务公开工作要点》印发给你们，请结合实际认真贯彻落实。
                一、工作重点
                （一）做好部门预算、决算和“三公”经费公开，批复后20日内向社会公开。
                （二）推进政策文件集中公开，主动公开文件在印发后20个工作日内公开。
                二、工作要求
                各单位确定一名信息员，按季度报送政务公开工作情况。
                """, printedBy: "怀来县人民政府办公室", writtenOn: "2023年3月10日")
        let s = { (step: DocumentStep, u: String, n: String, c: String) in Step(step: step, username: u, name: n,
            comment: c) }
        let through: [Step] = [s(.draft, "bangong", "张秘书", "请审核。"), s(.review, "fuzeren", "李主任", "同意。"),
                               s(.check, "hegao", "冯秘书", "已核稿。"), s(.sign, "fxz3", "吴副县长", "同意印发。"),
                               s(.recheck, "hegao", "冯秘书", "复核无误。")]
        return [
            Item(document: meetings, drafter: bangong, at: .issued, steps: through + [
                s(.number, "wenshu", "郑文书", ""), s(.seal, "wenshu", "郑文书", "已用印。"),
                s(.issue, "wenshu", "郑文书", "已核发。")]),
            Item(document: request, drafter: bangong, at: .sign, steps: Array(through.prefix(3))),
            Item(document: joint, drafter: bangong, at: .countersign, countersign: ["434001", "436001"],
                 countersigned: ["434001"], steps: Array(through.prefix(3)) + [s(.countersign, "fuzeren", "李主任",
                     "同意。")]),
            Item(document: checking, drafter: bangong, at: .check, steps: Array(through.prefix(2))),
            Item(document: sealing, drafter: bangong, at: .seal, steps: through + [s(.number, "wenshu", "郑文书", "")]),
            Item(document: draft, drafter: bangong, at: .draft, steps: []),
            Item(document: openness2023, drafter: bangong, at: .issued, steps: through + [
                s(.number, "wenshu", "郑文书", ""), s(.seal, "wenshu", "郑文书", "已用印。"),
                s(.issue, "wenshu", "郑文书", "已核发。")], year: 2023, on: Date(timeIntervalSince1970: 1_678_410_000)),
        ]
    }

    static func load(_ app: Application) async throws {
        guard try await DocumentModel.query(on: app.db).count() == 0,
              let unit = try await OrganisationQueries.unit(code: "434001", on: app.db) else { return }
        let now = app.fuzheng.clock.now()
        let year = Calendar.chinaYear(now)
        let unitID = try unit.requireID()
        let all = items(year: year)
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            for (n, item) in all.enumerated() {
                var at = item.on ?? now.addingTimeInterval(Double(n - all.count) * 86_400 * 3)
                let year = item.year ?? year
                let m = DocumentModel()
                m.$unit.id = unitID
                m.year = year
                try m.set(item.document)
                m.step = item.at.rawValue
                m.countersignUnits = item.countersign.joined(separator: ",")
                m.countersignInOrder = false
                m.countersigned = item.countersigned.joined(separator: ",")
                m.waiversJSON = "[]"
                m.draftedBy = item.drafter.0
                m.draftedByName = item.drafter.1
                m.version = 1 + item.steps.count
                m.createdAt = at
                m.updatedAt = at
                try await m.create(on: tx)
                let id = try m.requireID()
                let v = DocumentVersionModel()
                v.$document.id = id
                v.seq = 1
                v.title = item.document.title
                v.body = item.document.body
                v.step = DocumentStep.draft.rawValue
                v.username = item.drafter.0
                v.displayName = item.drafter.1
                v.at = at
                try await v.create(on: tx)
                for (i, title) in item.document.attachments.enumerated() {
                    let text = "演示附件：\(title)\n（演示数据，内容为示意。Demo attachment.）\n"
                    let a = DocumentAttachmentModel()
                    a.$document.id = id
                    a.position = i + 1
                    a.title = title
                    a.fileName = "\(title).txt"
                    a.digest = try app.files.putNow(Data(text.utf8))
                    a.size = text.utf8.count
                    try await a.create(on: tx)
                }
                for (i, step) in item.steps.enumerated() {
                    at = at.addingTimeInterval(3_600 * Double(i + 1))
                    var comment = step.comment
                    if step.step == .number, let body = try await BodyModel.find(item.document.issuers[0], on: tx),
                       let prefix = body.numberPrefix {
                        let number = try await DocumentNumbering.assign(prefix: prefix, year: year, documentID: id,
                                                                        by: step.username, at: at, on: tx)
                        m.numberID = try number.requireID()
                        m.numberText = number.number.description
                        comment = number.number.description
                    }
                    try await DocumentEventModel.record(id, step: step.step.rawValue,
                                                        action: DocumentFlow.Move.forward.rawValue,
                                                        username: step.username, displayName: step.name,
                                                        comment: comment, at: at, on: tx)
                }
                if item.at == .issued, item.document.printedOn.isEmpty {
                    var d = item.document
                    d.printedOn = DelegationController.day(at)
                    try m.set(d)
                }
                if item.steps.contains(where: { $0.step == .seal }),
                   let seal = try await SealStore.find(item.document.issuers[0], on: tx) {
                    m.sealedWith = seal.digest
                }
                m.updatedAt = at
                try await m.save(on: tx)
                try await DocumentsController.reindex(m, on: tx)
                audit.add(AuditEvent(.create, objectType: "document", objectID: id.uuidString,
                                     summary: "demo: \(item.document.type.nameZh) \(item.document.title)"))
            }
        }
    }
}
