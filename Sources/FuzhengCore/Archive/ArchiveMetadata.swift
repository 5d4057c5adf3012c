import Foundation

/// What an archival package says about its 件 (DA/T 22-2015 归档章 and 归档文件目录 fields), and each file it holds with
/// its SM3 digest, written as `metadata.xml`. Element names are the standard's own words, so the file reads without
/// the platform.
public struct ArchiveMetadata: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// The entry's path in the package.
        public var name: String
        /// What it is: 正本PDF, 正本OFD, 签发稿, 发文稿纸, 处理单, 附件, 收文原件 …
        public var role: String
        public var sm3: String
        public var bytes: Int

        public init(name: String, role: String, sm3: String, bytes: Int) {
            self.name = name
            self.role = role
            self.sm3 = sm3
            self.bytes = bytes
        }
    }

    public var code: ArchivalCode
    /// 文号 (empty when the document has none).
    public var number: String
    /// 责任者: the body that wrote it.
    public var responsible: String
    /// 题名.
    public var title: String
    /// 日期 as the standard writes it: eight digits, 20230306.
    public var date: String
    /// 密级 (empty for none).
    public var secrecy: String
    public var pages: Int
    /// 备注.
    public var remarks: String
    /// 发文 or 收文.
    public var source: String
    /// Why the 保管期限 is what it is (the retention rule, or the 档案员's reason).
    public var retentionBasis: String
    /// The 档号 of the item this one corrects, if any.
    public var corrects: String
    public var files: [File]

    public init(code: ArchivalCode, number: String, responsible: String, title: String, date: String,
                secrecy: String = "", pages: Int, remarks: String = "", source: String, retentionBasis: String = "",
                corrects: String = "", files: [File] = []) {
        self.code = code
        self.number = number
        self.responsible = responsible
        self.title = title
        self.date = date
        self.secrecy = secrecy
        self.pages = pages
        self.remarks = remarks
        self.source = source
        self.retentionBasis = retentionBasis
        self.corrects = corrects
        self.files = files
    }

    public static let fileName = "metadata.xml"
    public static let standard = "DA/T 22-2015"

    /// 20230306 from 2023年3月6日, 2023-03-06 or itself; nil when it is none of them or not a day.
    public static func day(_ text: String) -> String? {
        var parts = text.split(whereSeparator: { "年月日-".contains($0) }).compactMap { Int($0) }
        if text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text) {
            parts = [n / 10_000, n / 100 % 100, n % 100]
        }
        guard parts.count == 3, (1949...2199).contains(parts[0]), (1...12).contains(parts[1]),
              (1...31).contains(parts[2]) else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts[0])\(two(parts[1]))\(two(parts[2]))"
    }

    public var xml: String {
        func e(_ name: String, _ value: String) -> String { "  <\(name)>\(Markup.escape(value))</\(name)>\n" }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<归档文件 标准=\"\(Self.standard)\">\n"
        out += e("档号", code.description)
        out += e("全宗号", code.fonds)
        out += e("门类代码", code.category)
        out += e("年度", String(code.year))
        out += e("保管期限", code.period.rawValue)
        out += e("机构问题代码", code.organisation)
        out += e("件号", String(code.item))
        out += e("文号", number)
        out += e("责任者", responsible)
        out += e("题名", title)
        out += e("日期", date)
        out += e("密级", secrecy)
        out += e("页数", String(pages))
        out += e("备注", remarks)
        out += e("来源", source)
        out += e("保管期限依据", retentionBasis)
        out += e("更正档号", corrects)
        out += "  <文件清单>\n"
        for f in files {
            out += "    <文件 名称=\"\(Markup.escape(f.name))\" 用途=\"\(Markup.escape(f.role))\" "
                + "SM3=\"\(Markup.escape(f.sm3))\" 字节数=\"\(f.bytes)\"/>\n"
        }
        out += "  </文件清单>\n</归档文件>\n"
        return out
    }

    /// Reads `metadata.xml` back; every missing or malformed field is a problem, and nothing is returned then.
    public static func parse(_ data: Data) -> Result<ArchiveMetadata, ArchiveProblems> {
        let root: SafeXMLElement
        do {
            root = try SafeXML.parse(data)
        } catch {
            return .failure(ArchiveProblems([.init("metadata.xml 无法解析：\(error.messageZh)",
                                                   "metadata.xml cannot be read: \(error.messageEn)")]))
        }
        var problems: [ArchiveProblem] = []
        guard root.name == "归档文件" else {
            return .failure(ArchiveProblems([.init("metadata.xml 的根元素不是“归档文件”",
                                                   "metadata.xml's root element is not 归档文件")]))
        }
        func text(_ name: String, required: Bool) -> String {
            let value = root.child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if required, value.isEmpty {
                problems.append(.init("缺少必填项“\(name)”", "the required field \(name) is missing"))
            }
            return value
        }
        let codeText = text("档号", required: true)
        let fonds = text("全宗号", required: true)
        let category = text("门类代码", required: true)
        let yearText = text("年度", required: true)
        let periodText = text("保管期限", required: true)
        let organisation = text("机构问题代码", required: false)
        let itemText = text("件号", required: true)
        let title = text("题名", required: true)
        let responsible = text("责任者", required: true)
        let date = text("日期", required: true)
        let pagesText = text("页数", required: true)
        let source = text("来源", required: true)
        let year = Int(yearText)
        let period = RetentionPeriod(rawValue: periodText)
        let item = Int(itemText)
        if !yearText.isEmpty, year == nil { problems.append(.init("年度“\(yearText)”不是年份", "年度 is not a year")) }
        if !periodText.isEmpty, period == nil {
            problems.append(.init("保管期限“\(periodText)”应为 Y、D30 或 D10", "保管期限 must be Y, D30 or D10"))
        }
        if !itemText.isEmpty, item == nil { problems.append(.init("件号“\(itemText)”不是数字", "件号 is not a number")) }
        if !date.isEmpty, date.count != 8 || Self.day(date) != date {
            problems.append(.init("日期“\(date)”应为八位数字（如 20230306）", "日期 must be eight digits (20230306)"))
        }
        let pages = Int(pagesText)
        if !pagesText.isEmpty, pages == nil || pages! < 0 {
            problems.append(.init("页数“\(pagesText)”不是非负整数", "页数 is not a whole number"))
        }
        let parsed = ArchivalCode.parse(codeText)
        if !codeText.isEmpty, parsed == nil {
            problems.append(.init("档号“\(codeText)”不符合 DA/T 22-2015 的格式", "档号 \(codeText) is not of DA/T 22-2015's form"))
        }
        var code: ArchivalCode?
        if let year, let period, let item {
            let built = ArchivalCode(fonds: fonds, category: category, year: year, period: period,
                                     organisation: organisation, item: item)
            problems += built.problems.map { .init($0, $0) }
            if let parsed, parsed != built {
                problems.append(.init("档号 \(codeText) 与全宗号、年度、保管期限、机构代码、件号不一致（应为 \(built)）",
                                      "档号 \(codeText) does not match its parts (\(built))"))
            }
            code = built
        }
        var files: [File] = []
        let list = root.child("文件清单")?.children(named: "文件") ?? []
        if list.isEmpty { problems.append(.init("文件清单为空", "the file list is empty")) }
        for f in list {
            let name = f.attributes["名称"] ?? ""
            let sm3 = f.attributes["SM3"] ?? ""
            guard !name.isEmpty, sm3.count == 64, sm3.allSatisfy(\.isHexDigit),
                  let bytes = Int(f.attributes["字节数"] ?? ""), bytes >= 0 else {
                problems.append(.init("文件清单中“\(name)”一项缺少名称、SM3 或字节数",
                                      "the file list's entry \(name) lacks a name, SM3 digest or size"))
                continue
            }
            files.append(File(name: name, role: f.attributes["用途"] ?? "", sm3: sm3.lowercased(), bytes: bytes))
        }
        guard problems.isEmpty, let code, let pages else { return .failure(ArchiveProblems(problems)) }
        return .success(ArchiveMetadata(
            code: code, number: text("文号", required: false), responsible: responsible, title: title, date: date,
            secrecy: text("密级", required: false), pages: pages, remarks: text("备注", required: false),
            source: source, retentionBasis: text("保管期限依据", required: false),
            corrects: text("更正档号", required: false), files: files))
    }
}

public struct ArchiveProblem: Sendable, Equatable, CustomStringConvertible {
    public var zh: String
    public var en: String

    public init(_ zh: String, _ en: String) {
        self.zh = zh
        self.en = en
    }

    public var description: String { zh == en ? zh : "\(zh) / \(en)" }
}

public struct ArchiveProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ArchiveProblem]

    public init(_ problems: [ArchiveProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
