import Foundation
import FuzhengCore
import Testing

@Suite("Procurement catalog: what a clerk types, the search, and project labels")
struct ProcurementCatalogTests {
    let catalog = ProcurementCatalog.shared

    @Test("a code, \"code name\" or an exact catalog name is a code; a shared name is refused with its codes")
    func resolve() {
        #expect(catalog.resolve("A02021004") == .code("A02021004"))
        #expect(catalog.resolve(" a02021004 ") == .code("A02021004"))
        #expect(catalog.resolve("A02010105 台式计算机") == .code("A02010105"))
        #expect(catalog.resolve("A4彩色打印机") == .code("A02021004"))
        #expect(catalog.resolve("a4彩色打印机") == .code("A02021004"))
        #expect(catalog.resolve("车辆维修和保养服务") == .ambiguous(name: "车辆维修和保养服务",
                                                              codes: ["C23120300", "C23120301"]))
        #expect(catalog.resolve("彩色打印机") == .unknown)
        #expect(catalog.resolve("A02021004X") == .unknown)
        #expect(catalog.resolve("  ") == .empty)
    }

    @Test("the search finds by code start, by name and by pinyin initials, most alike first, within the limit")
    func search() {
        #expect(catalog.search("a4csdyj").items.first?.code == "A02021004")
        #expect(catalog.search("a4cs").items.map(\.code).contains("A02021004"))
        #expect(catalog.search("A4CS").items.map(\.code).contains("A02021004"))
        #expect(catalog.search("tsjsj").items.first?.code == "A02010105")
        let printers = catalog.search("彩色打印机").items.map(\.code)
        #expect(printers.contains("A02021002") && printers.contains("A02021004"))
        let byCode = catalog.search("a0202100", limit: 50).items
        #expect(!byCode.isEmpty && byCode.allSatisfy { $0.code.hasPrefix("A0202100") })
        // The exact name before the names that merely contain it.
        #expect(catalog.search("打印机").items.first?.code == "A02021000")
        let many = catalog.search("设备", limit: 20)
        #expect(many.items.count == 20 && many.more)
        #expect(catalog.search("").items.isEmpty)
        #expect(catalog.search("没有这种东西").items.isEmpty)
    }

    @Test("every catalog item has its initials from the generated file, and common goods their usual unit")
    func initialsAndUnits() throws {
        #expect(catalog.items.count > 4000)
        let missing = catalog.items.filter { $0.initials.isEmpty }.map(\.code)
        #expect(missing.isEmpty, "no initials for \(missing.prefix(5)); run scripts/procurement_initials.py")
        #expect(catalog["A02021004"]?.initials == "a4csdyj")
        #expect(catalog["A02021004"]?.unit == "台")
        #expect(catalog["A02030500"]?.unit == "辆")
        #expect(catalog["A05010301"]?.unit == "把")
        #expect(catalog["C16010100"]?.unit == "项")
        #expect(catalog["A07010100"]?.unit == nil)
        #expect(Set(catalog.items.map(\.code)) == Set(Catalogs.shared.procurement.keys))
    }

    static func project(_ code: String, _ name: String, document: String? = nil) -> Project {
        Project(code: code, name: name, fundDocument: document, amount: .zero, fiscalFunds: .zero)
    }

    @Test("project labels: the code's tail and the name after the fund document all the projects share")
    func projectLabels() {
        let seed = [
            Self.project("13073023P00005210005Q", "怀财字【2023】7号电子政务平台建设资金", document: "怀财字【2023】7号"),
            Self.project("13073023P00004810005K", "怀财字【2023】7号法律事务", document: "怀财字【2023】7号"),
            Self.project("13073023P00005010007L", "怀财字【2023】7号民兵预备役", document: "怀财字【2023】7号"),
            Self.project("13073023P00004610004L", "怀财字【2023】7号综合事务经费", document: "怀财字【2023】7号"),
        ]
        let labels = ProjectLabels.labels(seed)
        #expect(labels.map(\.label) == ["…5210005Q 电子政务平台建设资金", "…4810005K 法律事务", "…5010007L 民兵预备役",
                                        "…4610004L 综合事务经费"])
        #expect(labels.map(\.code) == seed.map(\.code))
        // One project: its own fund document goes, and the code is still cut to its tail.
        #expect(ProjectLabels.labels([seed[1]]).map(\.label) == ["…4810005K 法律事务"])
        // Names that merely begin alike keep their words.
        let alike = ProjectLabels.labels([Self.project("P1", "电子政务平台建设"), Self.project("P2", "电子政务平台运维")])
        #expect(alike.map(\.label) == ["P1 电子政务平台建设", "P2 电子政务平台运维"])
        // A name that is only the shared start stays whole.
        let bare = ProjectLabels.labels([Self.project("A-1", "怀财字【2023】7号"), Self.project("A-2", "怀财字【2023】7号乙")])
        #expect(bare.map(\.label) == ["A-1 怀财字【2023】7号", "A-2 乙"])
    }

    @Test("project labels are distinct in every budget of a generated county")
    func projectLabelsDistinctInCounty() throws {
        let county = try CountyGenerator.generate(.init(seed: 7, units: 40, users: 200, years: 2, firstYear: 2024))
        var checked = 0
        for entry in county.budgets where entry.budget.projects.count > 1 {
            let labels = ProjectLabels.labels(entry.budget.projects).map(\.label)
            #expect(Set(labels).count == labels.count, "\(labels)")
            checked += 1
        }
        #expect(checked > 0)
    }
}
