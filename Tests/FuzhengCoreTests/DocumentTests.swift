import Foundation
import FuzhengCore
import Testing

@Suite("公文: 核稿 checks, each passing and failing, with its clause")
struct DocumentCheckTests {
    static let good = OutgoingDocument(
        type: .notice, issuers: ["434"], title: "怀来县人民政府办公室关于做好2024年部门预算公开工作的通知",
        mainRecipients: [Recipient(code: "436", name: "县财政局")], body: """
            一、公开范围
            （一）部门预算
            1.收支总表
            （1）按功能分类
            请按附件1和附件2的格式公开。
            """, attachments: ["公开表样", "时间安排"], writtenOn: "2024年2月20日")

    func rules(_ d: OutgoingDocument, _ dir: DocumentDirection? = .downward) -> [String] {
        DocumentChecks.shared.check(d) { _ in dir }.map(\.rule)
    }

    @Test("a well-formed notice passes every check")
    func clean() {
        #expect(rules(Self.good).isEmpty)
        #expect(DocumentChecks.shared.check(Self.good).isEmpty)
    }

    @Test("every finding cites a clause and says itself in both languages")
    func cited() {
        var d = Self.good
        d.title = "关于预算公开工作。"
        d.writtenOn = "二〇二四年二月二十日"
        for f in DocumentChecks.shared.check(d) {
            #expect(!f.clause.isEmpty && !f.zh.isEmpty && !f.en.isEmpty && !f.zh.contains("{"), "\(f.rule)")
        }
    }

    @Test("DOC-TITLE-TYPE: the title ends with its type")
    func titleType() {
        var d = Self.good
        d.title = "关于做好部门预算公开工作"
        #expect(rules(d) == ["DOC-TITLE-TYPE"])
        d.type = .order
        d.title = "怀来县人民政府令"
        #expect(!rules(d).contains("DOC-TITLE-TYPE"))
    }

    @Test("DOC-TITLE-PUNCT: only 书名号, 顿号, 括号, 引号 in a title")
    func titlePunctuation() {
        var d = Self.good
        d.title = "关于贯彻《预算法实施条例》、做好公开（试行）工作的通知"
        #expect(rules(d).isEmpty)
        d.title = "关于做好公开工作，加强监督的通知"
        #expect(rules(d) == ["DOC-TITLE-PUNCT"])
    }

    @Test("DOC-DATE-ARABIC: 成文日期 in Arabic numerals, months and days without 虚位")
    func date() {
        var d = Self.good
        for bad in ["二〇二四年二月二十日", "2024年02月20日", "2024-02-20"] {
            d.writtenOn = bad
            #expect(rules(d) == ["DOC-DATE-ARABIC"], "\(bad)")
        }
    }

    @Test("DOC-ATTACH-MISSING and DOC-ATTACH-UNCITED: cited attachments exist, attachments are cited")
    func attachments() {
        var d = Self.good
        d.attachments = ["公开表样"]
        #expect(rules(d) == ["DOC-ATTACH-MISSING"])
        d.attachments = ["公开表样", "时间安排", "联系人"]
        #expect(rules(d) == ["DOC-ATTACH-UNCITED"])
        d.body = "请按附件的格式公开。"
        d.attachments = ["公开表样"]
        #expect(rules(d).isEmpty)
        d.body = "请按要求公开。"
        #expect(rules(d) == ["DOC-ATTACH-UNCITED"])
    }

    @Test("a 请示: one main recipient, one matter, a signer, and only upward")
    func request() {
        var d = OutgoingDocument(type: .request, issuers: ["XZF"], title: "怀来县人民政府关于申请电子政务平台建设资金的请示",
                                 mainRecipients: [Recipient(code: "130700-ZF", name: "张家口市人民政府")],
                                 body: "一、项目概况\n妥否，请批示。", signers: ["赵县长"])
        #expect(rules(d, .upward).isEmpty)
        d.signers = []
        #expect(rules(d, .upward) == ["DOC-SIGNER"])
        d.signers = ["赵县长"]
        d.mainRecipients.append(Recipient(code: "130700-CZ", name: "张家口市财政局"))
        #expect(rules(d, .upward) == ["DOC-REQUEST-ONE-RECIPIENT"])
        d.mainRecipients.removeLast()
        d.body += "\n二、另请批准增加编制。\n当否，请批示。"
        #expect(rules(d, .upward) == ["DOC-REQUEST-ONE-MATTER"])
        d.body = "妥否，请批示。"
        #expect(rules(d, .downward) == ["DOC-DIRECTION"])
    }

    @Test("DOC-DIRECTION: no 批复 upward, a 通知 goes down or across")
    func direction() {
        var d = Self.good
        #expect(rules(d, .parallel).isEmpty)
        d.signers = ["赵县长"]
        #expect(rules(d, .upward) == ["DOC-DIRECTION"])
        d.type = .reply
        d.title = "怀来县人民政府关于同意县财政局预算调整的批复"
        #expect(rules(d, .downward).isEmpty)
        #expect(rules(d, .upward) == ["DOC-DIRECTION"])
    }

    @Test("DOC-HEADING-ORDER: no 1. before （一）, no （一） before 一、")
    func headings() {
        var d = Self.good
        d.body = "一、总体要求\n1.工作目标\n（一）基本原则"
        #expect(rules(d).filter { $0 == "DOC-HEADING-ORDER" }.count == 1)
        d.body = "（一）基本原则\n一、总体要求"
        #expect(rules(d).contains("DOC-HEADING-ORDER"))
        #expect(DocumentBody("一、甲\n（一）乙\n1.丙\n（1）丁\n2024.5 不是标题").paragraphs.map(\.level)
                == [1, 2, 3, 4, 0])
    }

    @Test("a state secret's content is refused; a classified paper record needs 份号 and 保密期限")
    func secrets() {
        var d = Self.good
        d.secrecy = .secret
        let found = DocumentChecks.shared.check(d)
        #expect(found.contains { $0.rule == "DOC-SECRET-CONTENT" && $0.isRefusal && $0.zh.contains("秘密") })
        #expect(found.contains { $0.rule == "DOC-SECRET-MARKS" })
        d.copyNumber = "000001"
        d.secrecyPeriod = "1年"
        #expect(!rules(d).contains("DOC-SECRET-MARKS"))
        d.secrecy = .internalUse
        #expect(rules(d).isEmpty)
    }

    @Test("DOC-OPENNESS-REASON: 不予公开 gives its reason")
    func openness() {
        var d = Self.good
        d.openness = .withheld
        #expect(rules(d) == ["DOC-OPENNESS-REASON"])
        d.opennessReason = "属于内部事务信息（条例第十六条）"
        #expect(rules(d).isEmpty)
    }
}

@Suite("发文字号: the standard's form")
struct DocumentNumberTests {
    @Test("written and read back; every wrong form named")
    func parse() throws {
        let n = DocumentNumber(prefix: "怀政办字", year: 2024, sequence: 7)
        #expect(n.description == "怀政办字〔2024〕7号")
        #expect(try DocumentNumber.parse(n.description).get() == n)
        let wrong: [(String, DocumentNumber.Problem)] = [
            ("怀财字【2023】7号", .brackets), ("怀财字[2023]7号", .brackets), ("怀财字〔2023〕第7号", .ordinal),
            ("怀财字〔2023〕07号", .leadingZero), ("〔2023〕7号", .noPrefix), ("怀财字〔23〕7号", .form),
        ]
        for (text, problem) in wrong {
            guard case .failure(let p) = DocumentNumber.parse(text) else { Issue.record("\(text) accepted"); continue }
            #expect(p == problem, "\(text)")
        }
        #expect(DocumentNumber.candidates(in: "依据：怀财字【2023】7号、怀政字〔2024〕12号")
                == ["怀财字【2023】7号", "怀政字〔2024〕12号"])
    }
}

@Suite("公文 flow: the table, who takes each step, returns and 会签")
struct DocumentFlowTests {
    let flow = DocumentFlow.shared
    func p(_ role: Role, _ unit: String = "434001", scope: ScopeKind? = nil, units: [String] = []) -> Principal {
        Principal(assignments: [RoleAssignment(role: role, scope: scope, units: units)], unitCode: unit,
            sectionCode: nil)
    }

    @Test("the steps in order; 会签 only for a joint document")
    func order() {
        var step = DocumentStep.draft, seen: [DocumentStep] = []
        while step != .issued { seen.append(step); step = flow.next(after: step, joint: false) }
        #expect(seen == [.draft, .review, .check, .sign, .recheck, .number, .seal, .issue])
        #expect(flow.next(after: .check, joint: true) == .countersign)
    }

    @Test("per unit: steps left out and signer rules of its own; a file that skips 签发 is refused")
    func perUnit() throws {
        var step = DocumentStep.draft, seen: [DocumentStep] = []
        while step != .issued { seen.append(step); step = flow.next(after: step, joint: false, unit: "436001") }
        #expect(!seen.contains(.recheck) && seen.contains(.sign))
        #expect(flow.signerRule(.report, unit: "436001") == .overseeing && flow.signerRule(.report) == .principal)
        let bad = #"{"steps": [{"step": "draft", "action": "draft_document"}, {"step": "issue", "action": "dispatch_document"}],"#
            + #""signers": {}, "units": {"434001": {"skip": ["sign"]}}}"#
        #expect(throws: (any Error).self) { try DocumentFlow(data: Data(bad.utf8)) }
    }

    @Test("each step only by its role and unit; the table of step × role")
    func whoActs() {
        let expected: [DocumentStep: Role] = [.draft: .officeStaff, .review: .unitHead, .check: .checker,
                                               .recheck: .checker, .number: .clerk, .seal: .clerk, .issue: .clerk]
        for (step, owner) in expected {
            for role in Role.allCases {
                let r = flow.actingUnit(.init(step: step), p(role), unitCode: "434001", countersignUnits: [],
                                        inOrder: false, type: .notice)
                let ok = if case .success = r { true } else { false }
                let expectedOK = role == owner || (step == .draft && role == .clerk)
                #expect(ok == expectedOK, "\(step) by \(role)")
            }
            let other = flow.actingUnit(.init(step: step), p(owner, "436001"), unitCode: "434001", countersignUnits: [],
                                        inOrder: false, type: .notice)
            if case .success = other { Issue.record("\(step) taken from another unit") }
        }
    }

    @Test("签发 by the leader who 分管 the unit, or the principal; a 请示 only by the principal")
    func signing() {
        let vice = p(.leader, scope: .units, units: ["434"]), head = p(.leader, scope: .county)
        let other = p(.leader, scope: .units, units: ["436"])
        func ok(_ who: Principal, _ type: DocumentType) -> Bool {
            if case .success = flow.actingUnit(.init(step: .sign), who, unitCode: "434001", countersignUnits: [],
                                               inOrder: false, type: type) { return true }
            return false
        }
        #expect(ok(vice, .notice) && ok(head, .notice) && !ok(other, .notice))
        #expect(!ok(vice, .request) && ok(head, .request))
    }

    @Test("findings stop 签发; a return needs a reason and goes back to 拟稿")
    func moves() {
        let leader = p(.leader, scope: .county)
        let blocked = flow.apply(.forward, to: .init(step: .sign), by: leader, unitCode: "434001", countersignUnits: [],
                                 inOrder: false, type: .notice, reason: "", openFindings: 2)
        #expect(blocked.map(\.0) == .failure(.openFindings(2)))
        let noReason = flow.apply(.sendBack, to: .init(step: .sign), by: leader, unitCode: "434001",
                                  countersignUnits: [], inOrder: false, type: .notice, reason: " ", openFindings: 0)
        #expect(noReason.map(\.0) == .failure(.reasonRequired))
        let back = flow.apply(.sendBack, to: .init(step: .sign), by: leader, unitCode: "434001", countersignUnits: [],
                              inOrder: false, type: .notice, reason: "请补充依据", openFindings: 0)
        #expect(back.map(\.0) == .success(.init(step: .draft)))
    }

    @Test("会签: each unit's head agrees, in parallel or in order, then 签发")
    func countersign() {
        let units = ["434001", "436001"]
        var state = DocumentFlow.State(step: .countersign)
        let finance = p(.unitHead, "436001"), office = p(.unitHead, "434001")
        let outOfOrder = flow.apply(.forward, to: state, by: finance, unitCode: "434001", countersignUnits: units,
                                    inOrder: true, type: .notice, reason: "", openFindings: 0)
        #expect(outOfOrder.map(\.0) == .failure(.countersignOutOfOrder("434001")))
        guard case .success(let first) = flow.apply(.forward, to: state, by: finance, unitCode: "434001",
                                                    countersignUnits: units, inOrder: false, type: .notice,
                                                    reason: "", openFindings: 0) else { Issue.record(); return }
        state = first.0
        #expect(state.step == .countersign && state.countersigned == ["436001"])
        let again = flow.apply(.forward, to: state, by: finance, unitCode: "434001", countersignUnits: units,
                               inOrder: false, type: .notice, reason: "", openFindings: 0)
        #expect(again.map(\.0) == .failure(.notYourStep(.countersign)))
        guard case .success(let second) = flow.apply(.forward, to: state, by: office, unitCode: "434001",
                                                     countersignUnits: units, inOrder: false, type: .notice,
                                                     reason: "", openFindings: 0) else { Issue.record(); return }
        #expect(second.0.step == .sign)
    }
}
