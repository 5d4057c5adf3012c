import FuzhengCore
import Testing

@Suite("Next year's budget from this year's")
struct NextYearTests {
    @Test("copying 2023 gives a 2024 draft whose prior-year figures are 2023's, passing every sum rule")
    func copy() throws {
        let b2023 = try DisclosureImporter.importBudget(try Fixture.huailai)
        let b2024 = b2023.copiedForNextYear()
        #expect(b2024.fiscalYear == 2024)
        #expect(b2024.status == .draft)
        #expect(b2024.prior.total == Fen.wan(2001) + Fen(890_000))
        #expect(b2024.prior.threePublic == b2023.threePublic.items)
        #expect(b2024.prior.statedChanges[.total] == .zero)
        #expect(b2024.projects.map(\.code) == b2023.projects.map(\.code))
        #expect(b2024.projects.map(\.amount) == b2023.projects.map(\.amount))
        #expect(b2024.projects.map(\.indicators.count) == b2023.projects.map(\.indicators.count))
        let sums = RuleBook.check(b2024).filter { $0.ruleID.hasPrefix("SUM-") || $0.ruleID.hasPrefix("X-") }
        #expect(sums.isEmpty, "\(sums.map(\.messageEn))")
    }
}

@Suite("Dated texts: rolling a year forward and TEXT-STALE-YEAR")
struct StaleYearTests {
    static func stale(_ b: Budget) -> [Finding] { RuleBook.check(b).filter { $0.ruleID == "TEXT-STALE-YEAR" } }

    /// Every year or date written in the budget's texts, counted independently of the rule.
    static func mentions(of year: Int, in b: Budget) -> Int {
        let marked = ["\(year)年", "【\(year)】", "〔\(year)〕"]
        return b.textFields.map { f in marked.map { f.text.components(separatedBy: $0).count - 1 }.reduce(0, +) }
            .reduce(0, +)
    }

    @Test("the seed's 2023 budget has no stale mention")
    func seedIsClean() throws {
        let b2023 = try DisclosureImporter.importBudget(try Fixture.huailai)
        #expect(Self.stale(b2023).isEmpty, "\(Self.stale(b2023).map(\.messageEn))")
    }

    @Test("a 2024 budget that only changed its year has one finding per mention of 2023 and for the assets' date")
    func unmovedCopyIsFlagged() throws {
        var b = try DisclosureImporter.importBudget(try Fixture.huailai)
        let mentions = Self.mentions(of: 2023, in: b)
        #expect(mentions >= 15 + 4 + 4)  // the indicator bases, project names, 资金文号 at least
        b.fiscalYear = 2024
        let findings = Self.stale(b)
        #expect(findings.count == mentions + 1)
        #expect(findings.contains { $0.path == "assets.asOf" && $0.messageZh.contains("2023年12月31日") })
        #expect(findings.contains { $0.path.hasSuffix(".basis") && $0.messageZh.contains("“2023年”") })
        #expect(findings.contains { $0.path.hasSuffix(".fundDocument") && $0.messageZh.contains("【2023】") })
        #expect(findings.allSatisfy { $0.severity == .warning && $0.subject != nil })
    }

    @Test("copying moves the budget year and the assets' date, so a clean year stays clean")
    func copyMovesDatedFacts() throws {
        let b2023 = try DisclosureImporter.importBudget(try Fixture.huailai)
        let b2024 = b2023.copiedForNextYear()
        #expect(b2024.assets.asOf == "2023-12-31")
        #expect(b2024.projects.allSatisfy { $0.fundDocument?.contains("【2024】") ?? true })
        #expect(b2024.projects.allSatisfy { !$0.name.contains("2023") })
        let moved: Int = b2024.projects.flatMap(\.indicators).filter { $0.basis == "2024年工作计划" }.count
        let before: Int = b2023.projects.flatMap(\.indicators).filter { $0.basis == "2023年工作计划" }.count
        #expect(moved == before && before == 15)
        #expect(b2024.procurement.allSatisfy { !$0.projectName.contains("2023") })
        #expect(Self.stale(b2024).isEmpty, "\(Self.stale(b2024).map(\.messageEn))")
        // An earlier year the copy did not own stays and is flagged, in every field it is in.
        var edited = b2024
        edited.projects[0].target = "在2022年基础上完成升级，2021年12月31日前的数据全部迁移"
        edited.projects[1].use = "比2023年增加培训"  // last year in a comparison: not stale
        let found = Self.stale(edited)
        #expect(found.count == 2)
        #expect(found.map(\.path) == ["projects[\(edited.projects[0].code)].target",
                                      "projects[\(edited.projects[0].code)].target"])
    }

    @Test("a confirmation silences exactly that text of that field")
    func confirmationSilences() throws {
        var b = try DisclosureImporter.importBudget(try Fixture.huailai).copiedForNextYear()
        b.narrative.otherNotes = "本部门2019年成立。"
        let finding = try #require(Self.stale(b).first)
        #expect(finding.path == "narrative.otherNotes")
        b.confirmations = [FindingConfirmation(ruleID: finding.ruleID, path: finding.path, subject: finding.subject ?? "",
                                               by: "caiwu", at: "2026-12-03T10:00:00Z")]
        #expect(Self.stale(b).isEmpty)
        b.narrative.otherNotes = "本部门2019年成立，2020年调整。"
        #expect(Self.stale(b).count == 2, "a changed text is checked again")
    }

    @Test("years and dates are read as the data file describes, not from catalog codes or amounts")
    func recognition() {
        let r = DatedTextRules.shared
        let found = r.mentions(in: "A02010105，12023年，怀财字【2021】7号，截至2022年12月31日，2022-12-31，（2020），12345")
        #expect(found.map(\.text) == ["【2021】", "2022年12月31日", "2022-12-31", "（2020）"])
        #expect(found[1].month == 12 && found[1].day == 31)
        #expect(r.movingYear("怀财字【2023】7号2023年工作计划，比2022年", from: 2023, to: 2024)
                == "怀财字【2024】7号2024年工作计划，比2022年")
        #expect(r.mentions(in: "比2022年增加")[0].isComparison)
    }
}
