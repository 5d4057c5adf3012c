import Foundation
import FuzhengCore
import Testing

@Suite("Bodies and the direction of a document between them")
struct BodiesTests {
    static func register() throws -> BodyRegister {
        try BodyRegister([
            Body(code: "SW", name: "张家口市委", kind: .partyCommittee, level: .city),
            Body(code: "SZF", name: "张家口市人民政府", kind: .government, level: .city, ledBy: ["SW"]),
            Body(code: "SCZJ", name: "张家口市财政局", kind: .department, level: .city, ledBy: ["SZF"]),
            Body(code: "XW", name: "中共怀来县委", kind: .partyCommittee, level: .county, ledBy: ["SW"]),
            Body(code: "XZF", name: "怀来县人民政府", kind: .government, level: .county, ledBy: ["SZF", "XW"]),
            Body(code: "RD", name: "怀来县人大常委会", kind: .congress, level: .county, ledBy: ["XW"]),
            Body(code: "ZX", name: "政协怀来县委员会", kind: .cppcc, level: .county, ledBy: ["XW"]),
            Body(code: "434", name: "怀来县人民政府办公室", kind: .office, level: .county, ledBy: ["XZF"]),
            Body(code: "434-WD", name: "文电科", kind: .section, level: .county, parentCode: "434", ledBy: ["434"]),
            Body(code: "436", name: "怀来县财政局", kind: .department, level: .county, ledBy: ["XZF"]),
            Body(code: "436001", name: "怀来县财政局本级", kind: .unit, level: .county, parentCode: "436",
                 ledBy: ["436"]),
            Body(code: "437", name: "怀来县教育局", kind: .department, level: .county, ledBy: ["XZF"]),
            Body(code: "SC", name: "沙城镇人民政府", kind: .township, level: .township, ledBy: ["XW", "XZF"]),
            Body(code: "ZL", name: "涿鹿县人民政府", kind: .government, level: .peerCounty, ledBy: ["SZF"]),
        ])
    }

    @Test("up to a leading body (directly or through others), down to a led one, across otherwise")
    func directions() throws {
        let r = try Self.register()
        let cases: [(String, String, DocumentDirection)] = [
            ("436", "XZF", .upward), ("XZF", "436", .downward), ("436", "437", .parallel),
            ("436", "SC", .parallel), ("XZF", "SC", .downward), ("SC", "XZF", .upward), ("SC", "XW", .upward),
            ("XZF", "SZF", .upward), ("436", "SZF", .upward), ("436", "SW", .upward), ("436", "SCZJ", .parallel),
            ("XZF", "ZL", .parallel), ("XZF", "RD", .parallel), ("RD", "XW", .upward), ("434", "XZF", .upward),
            // A section writes in its office's name.
            ("434-WD", "XZF", .upward), ("434-WD", "434", .parallel), ("436001", "436", .upward),
            ("436001", "XZF", .upward), ("SW", "SC", .downward),
        ]
        for (from, to, expected) in cases {
            #expect(r.direction(from: from, to: to) == expected, "\(from) → \(to)")
        }
        #expect(r.direction(from: "436", to: ["437", "XZF"]) == .upward)
        #expect(r.direction(from: "XZF", to: ["436", "ZL"]) == .downward)
        #expect(r.direction(from: "XZF", to: ["ZL"]) == .parallel)
        #expect(DocumentDirection.upward.nameZh == "上行文")
    }

    @Test("a register with a duplicate, an unknown reference or a leadership cycle is refused")
    func problems() {
        let a = Body(code: "A", name: "甲", kind: .department, level: .county, ledBy: ["B"])
        let b = Body(code: "B", name: "乙", kind: .government, level: .county, ledBy: ["A"])
        #expect(throws: BodyRegister.Problem.leadershipCycle("A")) { try BodyRegister([a, b]) }
        #expect(throws: BodyRegister.Problem.duplicateCode("A")) { try BodyRegister([a, a]) }
        let c = Body(code: "C", name: "丙", kind: .unit, level: .county, parentCode: "X")
        #expect(throws: BodyRegister.Problem.unknownReference(body: "C", reference: "X")) { try BodyRegister([c]) }
    }
}
