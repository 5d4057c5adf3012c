import Foundation
@testable import FuzhengCore
import Testing

@Suite("DA/T 22-2015: 档号 by rule and the proposed 保管期限")
struct ArchivalCodeTests {
    @Test("档号 written and read back: 0434-WS·2023-Y-BGS-0001; without the organisation code too")
    func code() throws {
        let c = ArchivalCode(fonds: "0434", year: 2023, period: .permanent, organisation: "BGS", item: 1)
        #expect(c.description == "0434-WS·2023-Y-BGS-0001" && c.problems.isEmpty)
        #expect(ArchivalCode.parse("0434-WS·2023-Y-BGS-0001") == c)
        let plain = ArchivalCode(fonds: "0434", year: 2023, period: .thirtyYears, organisation: "", item: 27)
        #expect(plain.description == "0434-WS·2023-D30-0027")
        #expect(ArchivalCode.parse("0434-WS·2023-D30-0027") == plain)
        for bad in ["0434-WS·2023-X-BGS-0001", "0434-WS2023-Y-BGS-0001", "0434-WS·23-Y-BGS-0001",
                    "0434-WS·2023-Y-BGS-1", "0434-WS·2023-Y-BGS-0000", "0434-WS·2023-Y-bgs-0001", "",
                    "0434-WS·2023-Y-BGS-0001-0002", "04 34-WS·2023-Y-BGS-0001"] {
            #expect(ArchivalCode.parse(bad) == nil, "\(bad)")
        }
        #expect(!ArchivalCode(fonds: "", year: 1800, period: .tenYears, organisation: "办公室", item: 0).problems
            .isEmpty)
    }

    @Test("保管期限 proposed from the retention table by type and author")
    func retention() {
        let policy = RetentionPolicy.shared
        #expect(policy.propose(type: .request, author: .own).0 == .permanent)
        #expect(policy.propose(type: .notice, author: .own).0 == .thirtyYears)
        #expect(policy.propose(type: .letter, author: .own).0 == .tenYears)
        #expect(policy.propose(type: .notice, author: .superior).0 == .thirtyYears)
        #expect(policy.propose(type: .report, author: .subordinate).0 == .thirtyYears)
        #expect(policy.propose(type: .notice, author: .subordinate).0 == .tenYears)
        #expect(policy.propose(type: .request, author: .own).1?.basis.contains("第八条") == true)
        // Every type named in the table is a real 公文 type.
        for rule in policy.rules { #expect(rule.types.allSatisfy { DocumentType(rawValue: $0) != nil }) }
    }
}

@Suite("The author class of a 来文单位, from the retention table's sender lists")
struct SenderAuthorTests {
    @Test("Province and city bodies are superior, towns subordinate, the rest 同级")
    func senders() {
        let p = RetentionPolicy.shared
        #expect(p.author(ofSender: "张家口市人民政府办公室") == .superior)
        #expect(p.author(ofSender: "河北省财政厅") == .superior)
        #expect(p.author(ofSender: "沙城镇人民政府") == .subordinate)
        #expect(p.author(ofSender: "怀来县财政局") == .other)
        #expect(p.propose(type: .notice, author: p.author(ofSender: "张家口市人民政府办公室")).0 == .thirtyYears)
    }
}
