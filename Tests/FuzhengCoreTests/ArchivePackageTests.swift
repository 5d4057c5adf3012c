import Foundation
@testable import FuzhengCore
import Testing

@Suite("DA/T 22-2015: 件号 series, the year's order, the package and its verification, the 归档文件目录")
struct ArchivePackageTests {
    static let series = ArchiveSeries(fonds: "0434", year: 2023, period: .permanent, organisation: "BGS")

    static func metadata(item: Int = 1, title: String = "关于印发<工作规则>的通知 & \"附件\"") -> ArchiveMetadata {
        ArchiveMetadata(code: series.code(item: item), number: "怀政办字〔2023〕12号", responsible: "怀来县人民政府办公室",
                        title: title, date: "20230306", pages: 3, source: "发文",
                        retentionBasis: "本机关制发的重要文件（第八条）")
    }

    static let entries = [
        ArchivePackage.Entry(name: "正本.pdf", role: "正本PDF", data: Data("%PDF-1.7 /Type /Page /Type /Pages".utf8)),
        ArchivePackage.Entry(name: "正本.ofd", role: "正本OFD", data: Data(repeating: 7, count: 3_000)),
        ArchivePackage.Entry(name: "附件/01-名单.docx", role: "附件", data: Data("附件内容".utf8)),
    ]

    @Test("件号 restart per 全宗 + 年度 + 期限 + 机构 and run on without gaps in date and 文号 order")
    func numbering() {
        let y = Self.series
        let d30 = ArchiveSeries(fonds: "0434", year: 2023, period: .thirtyYears, organisation: "BGS")
        let other = ArchiveSeries(fonds: "0434", year: 2023, period: .permanent, organisation: "DCS")
        let nextYear = ArchiveSeries(fonds: "0434", year: 2024, period: .permanent, organisation: "BGS")
        #expect(Set([y, d30, other, nextYear].map(\.counterKey)).count == 3, "the year is the counter's own column")
        #expect(y.counterKey != d30.counterKey && y.counterKey != other.counterKey)
        let items = [
            FilingCandidate(id: "c", series: y, date: "20230410", number: "怀政办字〔2023〕12号", title: "丙"),
            FilingCandidate(id: "a", series: y, date: "20230306", number: "怀政办字〔2023〕9号", title: "甲"),
            FilingCandidate(id: "b", series: y, date: "20230306", number: "怀政办字〔2023〕10号", title: "乙"),
            FilingCandidate(id: "d", series: d30, date: "20230101", number: "", title: "丁"),
            FilingCandidate(id: "e", series: other, date: "20230101", number: "", title: "戊"),
        ]
        let plan = ItemNumbering.plan(items, next: [y: 5])
        let codes = Dictionary(uniqueKeysWithValues: plan.map { ($0.0.id, $0.1.description) })
        #expect(codes["a"] == "0434-WS·2023-Y-BGS-0005", "9号 before 10号: by number, not by text")
        #expect(codes["b"] == "0434-WS·2023-Y-BGS-0006")
        #expect(codes["c"] == "0434-WS·2023-Y-BGS-0007")
        #expect(codes["d"] == "0434-WS·2023-D30-BGS-0001")
        #expect(codes["e"] == "0434-WS·2023-Y-DCS-0001")
        #expect(plan.map(\.0.id) == ["a", "b", "c", "e", "d"], "永久 volumes first, then 30 years")
        // Any arrangement of the same items gets the same numbers.
        #expect(ItemNumbering.plan(items.reversed(), next: [y: 5]).map(\.1) == plan.map(\.1))
        // Within each series the numbers are consecutive from the counter.
        for s in [y, d30, other] {
            let numbers = plan.filter { $0.0.series == s }.map(\.1.item)
            let first = s == y ? 5 : 1
            #expect(numbers == Array(first..<first + numbers.count))
        }
    }

    @Test("Changing the proposed 保管期限 needs a reason; keeping it does not")
    func retentionChange() {
        #expect(RetentionChange.problem(proposed: .tenYears, chosen: .tenYears, reason: "") == nil)
        #expect(RetentionChange.problem(proposed: .tenYears, chosen: .permanent, reason: "  ") != nil)
        #expect(RetentionChange.problem(proposed: .tenYears, chosen: .permanent, reason: "涉及全县重大事项") == nil)
        #expect(RetentionChange.problem(proposed: .tenYears, chosen: .permanent,
                                        reason: String(repeating: "长", count: 501)) != nil)
    }

    @Test("A package verifies; its metadata reads back with hostile text unchanged")
    func roundTrip() throws {
        let zip = try ArchivePackage.make(Self.metadata(), entries: Self.entries)
        let m = try ArchivePackage.verify(zip).get()
        #expect(m.title == "关于印发<工作规则>的通知 & \"附件\"")
        #expect(m.code.description == "0434-WS·2023-Y-BGS-0001")
        #expect(m.files.map(\.name) == ["正本.pdf", "正本.ofd", "附件/01-名单.docx"])
        #expect(m.files[1].sm3 == SM3.hash(Data(repeating: 7, count: 3_000)).hexString && m.files[1].bytes == 3_000)
        var expected = Self.metadata()
        expected.files = m.files
        #expect(m == expected)
    }

    @Test("Changing any one byte of a package makes verification fail")
    func oneByte() throws {
        let zip = try ArchivePackage.make(Self.metadata(), entries: Self.entries)
        var failures = 0
        // Every 7th byte and the last few: a flip in a header, the compressed data, the metadata or the directory.
        let positions = Array(stride(from: 0, to: zip.count, by: 7)) + Array(zip.count - 5..<zip.count)
        for i in positions {
            var bad = zip
            bad[i] ^= 0x01
            if case .failure = ArchivePackage.verify(bad) { failures += 1 } else {
                // A flip the ZIP format ignores (a timestamp, a version byte) leaves every file as it was: allowed
                // only when every file and the metadata still read back identical.
                let a = try SafeArchive.entries(of: zip, limits: ArchivePackage.limits)
                let b = try SafeArchive.entries(of: bad, limits: ArchivePackage.limits)
                #expect(a == b, "byte \(i) changed a file and verification still passed")
            }
        }
        #expect(failures > positions.count / 2)
    }

    @Test("A file replaced, missing or unlisted, a field missing and a 档号 that contradicts its parts are named")
    func problems() throws {
        var entries = Self.entries
        entries[0].data = Data("%PDF changed".utf8)
        let good = try ArchivePackage.make(Self.metadata(), entries: Self.entries)
        let listed = try ArchivePackage.verify(good).get().files
        // A package whose list is the good one's but whose first file differs.
        var m = Self.metadata()
        m.files = listed
        var zip = ZipWriter()
        zip.add(ArchiveMetadata.fileName, m.xml)
        for e in entries { zip.add(e.name, e.data) }
        zip.add("多余.txt", "x")
        let report = ArchivePackage.verify(try zip.data())
        guard case .failure(let p) = report else { Issue.record("a replaced file passed"); return }
        let text = p.description
        #expect(text.contains("正本.pdf") && text.contains("SM3"))
        #expect(text.contains("多余.txt"))

        var missing = ZipWriter()
        missing.add(ArchiveMetadata.fileName, m.xml)
        missing.add("正本.pdf", Self.entries[0].data)
        guard case .failure(let p2) = ArchivePackage.verify(try missing.data()) else { Issue.record("missing"); return }
        #expect(p2.description.contains("缺少文件“正本.ofd”"))

        let noTitle = m.xml.replacingOccurrences(of: "<题名>", with: "<题名x>").replacingOccurrences(
            of: "</题名>", with: "</题名x>")
        guard case .failure(let p3) = ArchiveMetadata.parse(Data(noTitle.utf8)) else { Issue.record("title"); return }
        #expect(p3.description.contains("题名"))

        let wrongCode = m.xml.replacingOccurrences(of: "<件号>1</件号>", with: "<件号>2</件号>")
        guard case .failure(let p4) = ArchiveMetadata.parse(Data(wrongCode.utf8)) else { Issue.record("code"); return }
        #expect(p4.description.contains("不一致"))

        let badForm = m.xml.replacingOccurrences(of: "0434-WS·2023-Y-BGS-0001", with: "0434-WS2023-Y-BGS-1")
        guard case .failure(let p5) = ArchiveMetadata.parse(Data(badForm.utf8)) else { Issue.record("form"); return }
        #expect(p5.description.contains("格式"))

        guard case .failure(let p6) = ArchivePackage.verify(Data("not a zip".utf8)) else { Issue.record("zip"); return }
        #expect(p6.description.contains("无法读取"))
    }

    @Test("Dates as the standard writes them, and a PDF's page count")
    func dayAndPages() {
        #expect(ArchiveMetadata.day("2023年3月6日") == "20230306")
        #expect(ArchiveMetadata.day("2023-12-31") == "20231231")
        #expect(ArchiveMetadata.day("三月") == nil && ArchiveMetadata.day("2023-13-01") == nil)
        #expect(ArchivePackage.pdfPages(Data("<< /Type /Pages >> << /Type /Page >> << /Type/Page>>".utf8)) == 2)
    }

    @Test("The 归档文件目录: one volume per series in the standard's columns, items in 件号 order")
    func catalogue() throws {
        var d10 = Self.metadata(item: 1, title: "关于会议室使用的函")
        d10.code.period = .tenYears
        let items = [Self.metadata(item: 2, title: "第二件"), d10, Self.metadata(item: 1, title: "第一件")]
        let volumes = ArchiveCatalogue.volumes(items)
        #expect(volumes.map(\.series.period) == [.permanent, .tenYears])
        #expect(volumes[0].items.map(\.title) == ["第一件", "第二件"])
        #expect(ArchiveCatalogue.row(1, volumes[0].items[0]) == ["1", "0434-WS·2023-Y-BGS-0001", "怀政办字〔2023〕12号",
            "怀来县人民政府办公室", "第一件", "20230306", "", "3", ""])
        let sheets = try SafeArchive.entries(of: ArchiveCatalogue.xlsx(items))
        #expect(sheets.keys.contains("xl/worksheets/sheet2.xml"))
        let html = ArchiveCatalogue.html([Self.metadata(title: "<script>")], title: "归档文件目录")
        #expect(html.contains("&lt;script&gt;") && !html.contains("<script>"))
        #expect(ArchiveCatalogue.columnsZh == ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"])
    }
}
