import Foundation
import FuzhengCore
import Testing

@Suite("Bringing people in: the sheet, its problems and the plan")
struct PeopleImportTests {
    static let context = PeopleImport.Context(
        people: [PersonRecord(username: "caiwu", displayName: "王会计", unitCode: "434001",
                              assignments: [RoleAssignment(role: .unitFinance)]),
                 PersonRecord(username: "sysadmin", displayName: "系统管理员", unitCode: "434001",
                              assignments: [RoleAssignment(role: .systemAdmin)])],
        units: [UnitRecord(code: "434001", name: "办公室", departmentCode: "434", nature: "行政", grade: "正科级",
                           fundingForm: "财政拨款（行政）"),
                UnitRecord(code: "436001", name: "财政局", departmentCode: "436", nature: "行政", grade: "正科级",
                           fundingForm: "财政拨款（行政）")],
        departments: ["434", "436"], sections: ["434-WD": "文电科", "434-DC": "督查室"])

    func plan(_ csv: String, name: String = "people.csv") -> PeoplePlan {
        guard case .success(let sheets) = PeopleImport.tables(fileName: name, data: Data(csv.utf8)) else {
            Issue.record("not read")
            return PeoplePlan()
        }
        return PeopleImport.plan(sheets, against: Self.context)
    }

    @Test("a good sheet: new people with several roles, a move between units, a leaver; columns in any order")
    func good() {
        let p = plan("""
            姓名,用户名,单位代码,角色,科室,职务,状态
            周文书,zhouws,434001,文书（本科室）；信息员,文电科,,在职
            吴副县长,wufxz,434001,"领导（分管：436、434）",,副县长,
            王会计,caiwu,436001,单位财务,,,
            郑离职,zhenglz,434001,办公人员,,,离职
            """)
        #expect(p.problems.isEmpty, "\(p.problems)")
        #expect(p.creates.map(\.username) == ["zhouws", "wufxz"])
        #expect(p.creates[0].assignments == [RoleAssignment(role: .clerk, scope: .section),
                                             RoleAssignment(role: .informationOfficer)])
        #expect(p.creates[0].sectionCode == "434-WD")
        #expect(p.creates[1].assignments == [RoleAssignment(role: .leader, scope: .units, units: ["436", "434"])])
        #expect(p.creates[1].title == "副县长")
        #expect(p.updates.count == 1 && p.updates[0].changes == ["单位 434001 → 436001"])
        #expect(p.unchangedCount == 1) // a leaver who never had an account is not created
    }

    @Test("every refused cell is named by file, row, column and field; a heading-less file names its first row")
    func problems() {
        let p = plan("""
            用户名,姓名,单位代码,角色
            AB,甲,434001,文书
            okname,乙,999999,文书
            other,丙,434001,厨师
            boss,丁,434001,系统管理员；单位财务
            sysadmin,系统管理员,434001,单位财务
            okname,戊,434001,文书
            """, name: "名单.csv")
        let places = p.problems.map(\.messageZh)
        #expect(places.contains { $0.hasPrefix("文件“名单.csv”第 2 行 A 列〔用户名〕") })
        #expect(places.contains { $0.hasPrefix("文件“名单.csv”第 3 行 C 列〔单位代码〕") })
        #expect(places.contains { $0.contains("第 4 行 D 列〔角色〕") && $0.contains("厨师") })
        #expect(places.contains { $0.contains("第 5 行 D 列〔角色〕") && $0.contains("三员") })
        #expect(places.contains { $0.contains("第 6 行 D 列〔角色〕") })
        #expect(places.contains { $0.contains("第 7 行 A 列〔用户名〕") && $0.contains("第 3 行") })
        #expect(p.problems.allSatisfy { !$0.messageEn.isEmpty })
        let none = plan("a,b\n1,2\n")
        #expect(none.problems.first?.row == 1)
    }

    @Test("role texts: scopes in brackets, the default otherwise, and back again")
    func roles() throws {
        let parsed = try PeopleImport.parseRoles("督查室(全县)、核稿（本单位）；领导（分管:436,437001）").get()
        #expect(parsed == [RoleAssignment(role: .inspector, scope: .county), RoleAssignment(role: .checker,
            scope: .unit),
                           RoleAssignment(role: .leader, scope: .units, units: ["436", "437001"])])
        #expect(try PeopleImport.parseRoles(PeopleImport.rolesText(parsed)).get() == parsed)
        if case .success = PeopleImport.parseRoles("领导（分管：abc）") { Issue.record("accepted a bad code") }
        if case .success = PeopleImport.parseRoles("  ") { Issue.record("accepted no role") }
    }

    @Test("CSV text: quotes, doubled quotes, commas and line breaks inside a field")
    func csv() {
        #expect(CSVText.rows("a,\"b,c\",\"d\"\"e\"\r\n\"x\ny\",z\n") == [["a", "b,c", "d\"e"], ["x\ny", "z"]])
    }

    @Test("a units sheet adds units the people sheet may then use; the plan's fingerprint changes with it")
    func units() {
        let csv = """
            单位代码,单位名称,部门代码,单位性质,单位级别,经费形式
            436002,财政局国库支付中心,436,事业,股级,财政补助（事业）
            437001,教育局,437,行政,正科级,财政拨款（行政）
            """
        guard case .success(let sheets) = PeopleImport.tables(fileName: "u.csv", data: Data(csv.utf8)) else {
            Issue.record("not read")
            return
        }
        #expect(sheets.units != nil && sheets.people == nil)
        let p = PeopleImport.plan(sheets, against: Self.context)
        #expect(p.problems.count >= 1 && p.problems.allSatisfy { $0.row == 3 || $0.row == 2 })
        #expect(p.problems.contains { $0.row == 3 && $0.column == "C" })
    }
}
