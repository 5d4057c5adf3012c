import Foundation
import ZIPFoundation

/// SplitMix64: a tiny generator whose sequence depends on the seed alone, so a fuzz input is reproducible on
/// any machine and Swift version (the standard library's `random(in:using:)` algorithms are not promised stable).
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<bound (bound > 0); the modulo bias is irrelevant for fuzzing.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    public mutating func chance(percent: Int) -> Bool { below(100) < percent }
}

public enum Fuzzer {
    /// Tokens that have broken number and text parsers elsewhere: overflow edges, signs, full-width forms,
    /// units, control characters, markup and escapes.
    public static let tokens: [String] = [
        "99999999999999999999", "-0", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "1e308", "NaN", "inf", "％", "９９９９", "１２３４５．６７", "－１", "万元", "元", "\u{0}", "", "<script>", "\"", "'",
        "&amp;", "&#0;", "&#x110000;", "合计", "一般公共预算", "项目支出", "其中：", "（一）", "-", "+", ".", "..", ",", "，",
        "0.0000001", "0.005", "12345678901234567", "999999999999.999999", "1,000,000,000,000", "-99999999999",
        "\t", "\r", "\r\n", "\u{3000}", "\u{00A0}", "\u{FEFF}", "\u{202E}", "\u{FFFD}", "😀", "𠀀", "/", "\\", "//",
        "%2F", "%252F", "%5C", "%0A", "%00", "..%2F", "<!DOCTYPE x>", "<!ENTITY e \"x\">", "<![CDATA[", "]]>",
        "<?xml", "</", "/>", "=", "PK\u{3}\u{4}", "PK\u{1}\u{2}", "PK\u{5}\u{6}", "\u{FF}\u{FF}\u{FF}\u{FF}",
    ]

    /// FNV-1a: Swift's `Hasher` is seeded per process and would make runs unrepeatable.
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }

    /// Binary inputs travel as text, one scalar per byte (U+0000…U+00FF), so every target takes a String and a
    /// corpus file is a plain UTF-8 file. Scalars above U+00FF (inserted tokens) become their UTF-8 bytes.
    public static func bytes(_ text: String) -> Data {
        var data = Data()
        data.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.value <= 0xFF {
                data.append(UInt8(scalar.value))
            } else {
                data.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return data
    }

    public static func text(bytes data: Data) -> String {
        String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
    }
}

/// Makes inputs from seed texts: a few stacked line- and character-level mutations per input.
struct Mutator: Sendable {
    /// Each seed split on U+000A only, so joining with "\n" gives back the exact text (binary included).
    let seeds: [[String]]

    init(seeds: [String]) {
        self.seeds = (seeds.isEmpty ? [""] : seeds).map {
            $0.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        }
    }

    func mutate(using rng: inout SplitMix64) -> String {
        var lines = seeds[rng.below(seeds.count)]
        let rounds = rng.chance(percent: 10) ? 8 + rng.below(9) : 1 + rng.below(4)
        for _ in 0..<rounds { mutate(&lines, using: &rng) }
        return lines.joined(separator: "\n")
    }

    private func mutate(_ lines: inout [String], using rng: inout SplitMix64) {
        if lines.isEmpty { lines = [""] }
        let l = rng.below(lines.count)
        switch rng.below(20) {
        case 0..<3: lines[l] = Self.edit(lines[l], using: &rng) { s, i, rng in
                // Flipping a bit of the low byte cannot reach a surrogate, and keeps a byte of a binary input a byte.
                s[i] = Unicode.Scalar(s[i].value ^ (1 << UInt32(rng.below(8)))) ?? s[i]
            }
        case 3: lines[l] = Self.edit(lines[l], using: &rng) { s, i, rng in
                s[i] = Unicode.Scalar(UInt8([0, 0xFF, 0x7F, 0x80, 0x20, 0x30, 0x39, 0x2E][rng.below(8)]))
            }
        case 4..<6: lines[l] = Self.edit(lines[l], using: &rng) { s, i, rng in
                s.removeSubrange(i..<min(s.count, i + 1 + rng.below(rng.chance(percent: 20) ? 64 : 8)))
            }
        case 6: lines[l] = Self.edit(lines[l], using: &rng) { s, i, rng in
                let end = min(s.count, i + 1 + rng.below(16))
                let copy = Array(s[i..<end])
                s.insert(contentsOf: copy, at: rng.below(s.count + 1))
            }
        case 7..<10: lines[l] = Self.insert(Self.token(using: &rng), into: lines[l], using: &rng)
        case 10..<13: lines[l] = Self.replaceNumber(in: lines[l], using: &rng)
        case 13: lines.remove(at: l)
        case 14: lines.insert(lines[l], at: rng.below(lines.count + 1))
        case 15: lines.swapAt(l, rng.below(lines.count))
        case 16: lines[l] = Self.prefix(lines[l], using: &rng)
        case 17:
            // Truncation mid-document, often mid-row: the shape of a paste cut short.
            lines = Array(lines[..<l]) + [Self.prefix(lines[l], using: &rng)]
        case 18:
            // An empty cell, or a blank line that ends a table row early.
            lines.insert(rng.chance(percent: 50) ? "\t" : "", at: rng.below(lines.count + 1))
        default: lines.insert("\t" + Self.token(using: &rng), at: rng.below(lines.count + 1))
        }
    }

    /// Applies `change` at a random scalar of the line; an empty line gets a token instead.
    private static func edit(_ line: String, using rng: inout SplitMix64,
                             _ change: (inout [Unicode.Scalar], Int, inout SplitMix64) -> Void) -> String {
        var scalars = Array(line.unicodeScalars)
        guard !scalars.isEmpty else { return token(using: &rng) }
        change(&scalars, rng.below(scalars.count), &rng)
        return String(String.UnicodeScalarView(scalars))
    }

    private static func prefix(_ line: String, using rng: inout SplitMix64) -> String {
        let scalars = line.unicodeScalars
        return String(String.UnicodeScalarView(scalars.prefix(rng.below(scalars.count + 1))))
    }

    private static func insert(_ token: String, into line: String, using rng: inout SplitMix64) -> String {
        var scalars = Array(line.unicodeScalars)
        scalars.insert(contentsOf: token.unicodeScalars, at: rng.below(scalars.count + 1))
        return String(String.UnicodeScalarView(scalars))
    }

    /// Swaps one run of digits (with its dots and commas) for a token: amounts are where parsers break.
    private static func replaceNumber(in line: String, using rng: inout SplitMix64) -> String {
        let scalars = Array(line.unicodeScalars)
        func isNumeric(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) || s == "." || s == "," }
        var runs: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            guard isNumeric(scalars[i]) else { i += 1; continue }
            let start = i
            while i < scalars.count && isNumeric(scalars[i]) { i += 1 }
            runs.append(start..<i)
        }
        guard !runs.isEmpty else { return insert(token(using: &rng), into: line, using: &rng) }
        var result = scalars
        result.replaceSubrange(runs[rng.below(runs.count)], with: token(using: &rng).unicodeScalars)
        return String(String.UnicodeScalarView(result))
    }

    private static func token(using rng: inout SplitMix64) -> String {
        switch rng.below(10) {
        case 0:
            let digits = rng.chance(percent: 70) ? 13 + rng.below(12) : 25 + rng.below(400)
            return String((0..<digits).map { _ in Character(String(rng.below(10))) })
        case 1:
            // Random CJK (U+4E00…U+9FFF).
            let count = 1 + rng.below(4)
            return String((0..<count).map { _ in Character(Unicode.Scalar(UInt32(0x4E00 + rng.below(0x5200)))!) })
        default:
            return Fuzzer.tokens[rng.below(Fuzzer.tokens.count)]
        }
    }
}

/// One parser under fuzzing. `run` must return for every input; a trap is the bug the fuzzer looks for.
/// Targets may also trap on purpose (`precondition`) when an answer breaks the parser's promise.
public struct FuzzTarget: Sendable {
    public let name: String
    public let seeds: [String]
    public let run: @Sendable (String) -> Void
    let mutator: Mutator

    public init(name: String, seeds: [String], run: @escaping @Sendable (String) -> Void) {
        self.name = name
        self.seeds = seeds
        self.run = run
        self.mutator = Mutator(seeds: seeds)
    }

    /// Input `index` of a run with `seed`: the seeds themselves first, then mutations. A pure function of the
    /// target's name, the seed and the index, so any input can be made again.
    public func input(_ index: Int, seed: UInt64) -> String {
        if index < seeds.count { return seeds[index] }
        var rng = SplitMix64(seed: seed ^ Fuzzer.hash(name) ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
        return mutator.mutate(using: &rng)
    }
}

public enum FuzzTargets {
    /// Every parser of the core that reads text from outside. `disclosureSeed` is a real published disclosure
    /// (the core reads no files beyond its bundle).
    public static func core(disclosureSeed: String) -> [FuzzTarget] {
        [disclosureImport(seed: disclosureSeed), money, quantity, numberInput, redirect, xml, archive, workbook]
    }

    public static let names = ["disclosure-import", "money", "quantity", "number-input", "redirect", "xml", "archive",
                               "workbook"]

    /// The importer, then everything that runs on what it produced: a crash in a rule or a renderer on
    /// imported data is as much the importer's problem as a crash in the importer.
    public static func disclosureImport(seed: String) -> FuzzTarget {
        FuzzTarget(name: "disclosure-import", seeds: [seed]) { text in
            guard let budget = try? DisclosureImporter.importBudget(text, source: "fuzz") else { return }
            _ = RuleBook.check(budget)
            let disclosure = DisclosureBuilder.build(budget)
            _ = disclosure.plainText
            // DOCX, XLSX and the data package cost two thirds of a debug run and share their figures' formatting
            // with HTML, so they get one budget in four: chosen by the input's hash, so a replay renders alike.
            let packages = Fuzzer.hash(text) % 4 == 0
            for format in DisclosureFormat.allCases where packages || [.html, .csv, .json].contains(format) {
                _ = try? DisclosureExport.files(budget, format: format, disclosure: disclosure)
            }
        }
    }

    public static let money = FuzzTarget(
        name: "money",
        seeds: ["2001.89", "2,001.89", "-0.1", "２００１．８９", " 291.21 ", "0", "0.000001", "1234567.89", "99999999999"]
    ) { text in
        for unit in MoneyUnit.allCases {
            guard let amount = try? MoneyFormat.parse(text, unit: unit) else { continue }
            // What the platform does next with a typed amount: prints it, totals it, compares it with last year.
            _ = MoneyFormat.wan(amount)
            _ = MoneyFormat.wanInText(amount)
            _ = MoneyFormat.yuan(amount)
            _ = MoneyFormat.isExactInWan(amount)
            _ = amount.description
            _ = (amount + amount).description
            _ = amount.percentChange(from: Fen(1_000_000))
            _ = Fen(1_000_000).percentChange(from: amount)
        }
    }

    public static let quantity = FuzzTarget(
        name: "quantity", seeds: ["8", "2.5", "120.35", "1,000", "0.001", "999999.999"]
    ) { text in
        guard let quantity = Quantity.parse(text) else { return }
        _ = quantity.description
        for price in [Fen(1), Fen(-99), Fen(123_456_789), Fen(100_000_000 * 1_000_000)] { _ = quantity.times(price) }
    }

    /// The checked reader behind every number field of the forms; whatever it accepts must lie in its range.
    public static let numberInput = FuzzTarget(
        name: "number-input", seeds: ["25", "25%", "２５％", "2001.89", "1,000", "-5", "100000", "0.125", ""]
    ) { text in
        for unit in MoneyUnit.allCases {
            if case .success(let amount) = NumberInput.amount(text, unit: unit) {
                precondition(amount >= .zero && amount <= Fen.maxStated, "amount out of range: \(text)")
                _ = MoneyFormat.inUnit(amount, unit)
            }
        }
        if case .success(let quantity) = NumberInput.quantity(text) {
            precondition(quantity >= Quantity(0) && quantity <= Quantity.maxStated, "quantity out of range: \(text)")
            _ = quantity.times(Fen.maxStated)
        }
        if case .success(let percent) = NumberInput.percent(text) {
            precondition((0...100).contains(percent), "percent out of range: \(text)")
        }
        _ = NumberInput.integer(text, range: Int.min...Int.max)
        let page = NumberInput.page(text)
        precondition((1...NumberInput.maxPage).contains(page), "page out of range: \(text)")
    }

    public static let redirect = FuzzTarget(
        name: "redirect",
        seeds: ["/budgets/434001/2023", "/login?next=%2Fhome", "//evil.example", "/\\evil.example",
                "/%2F%2Fevil.example", "https://evil.example/", "/%09/evil.example"]
    ) { text in
        guard let path = RedirectPolicy.sameOriginPath(text) else { return }
        // The promise: whatever is let through stays on this site however often a browser decodes it.
        var decoded = path
        for _ in 0..<3 {
            let bytes = Array(decoded.utf8)
            precondition(bytes.first == UInt8(ascii: "/") && (bytes.count < 2 || bytes[1] != UInt8(ascii: "/")),
                         "redirect left the site: \(path)")
            precondition(!bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") },
                         "redirect carries a control character or backslash: \(path)")
            guard let next = decoded.removingPercentEncoding, next != decoded else { break }
            decoded = next
        }
    }

    public static let xml = FuzzTarget(
        name: "xml",
        seeds: [
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>\
            <w:r><w:t xml:space="preserve">怀来县 2023 年预算 &amp; 2001.89 万元</w:t></w:r></w:p></w:body></w:document>
            """,
            """
            <?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr">\
            <is><t>合计</t></is></c><c r="B1"><v>2001.89</v></c></row></sheetData><!-- c --><x><![CDATA[<a>]]></x>\
            </worksheet>
            """,
        ]
    ) { text in
        let data = Data(text.utf8)
        let parsed = try? SafeXML.parse(data)
        precondition(parsed == nil || !SafeXML.contains(Array(data), "<!DOCTYPE"), "a DOCTYPE was parsed")
    }

    public static let archive = FuzzTarget(name: "archive", seeds: archiveSeeds) { text in
        guard let entries = try? SafeArchive.entries(of: Fuzzer.bytes(text)) else { return }
        for (name, contents) in entries {
            precondition(CentralDirectory.isSafePath(name), "an unsafe path was let through: \(name)")
            if name.hasSuffix(".xml") { _ = try? SafeXML.parse(contents) }
        }
    }

    /// A worksheet's XML in a budget workbook, read into the budget it came from: cell references, merged ranges,
    /// heading search, the number rule, every field's reader and the change list. The text takes the place of the
    /// sheet whose title it carries, so a mutated 收入 sheet is read as 收入; the other sheets stay as exported and
    /// are parsed once (the package around them is the "archive" and "xml" targets' work).
    public static let workbook = FuzzTarget(name: "workbook", seeds: WorkbookFuzz.seeds) { text in
        let names = WorkbookFuzz.sheetNames
        // The title is the first cell; searching the whole text for it cost a third of the target's time.
        let head = String(text.prefix(400))
        let position = names.firstIndex { head.contains("· \($0)（") } ?? Int(Fuzzer.hash(text) % UInt64(names.count))
        var sheets = WorkbookFuzz.sheets
        guard let xml = try? SafeXML.parse(Data(text.utf8)) else { return }
        var cells = XLSXReader.maxCells
        guard let sheet = try? XLSXReader.sheet(xml, name: names[position], shared: [], budget: &cells) else { return }
        sheets[position] = sheet
        if case .success(let read) = BudgetWorkbook.read(.success(sheets), into: WorkbookFuzz.budget) {
            _ = WorkbookChanges.summary(WorkbookChanges.between(WorkbookFuzz.budget, read))
        }
    }

    /// A small DOCX-like package, deflated and stored, written by ZIPFoundation with a fixed date.
    static let archiveSeeds: [String] = {
        let parts: [(String, String, CompressionMethod)] = [
            ("[Content_Types].xml",
             #"<?xml version="1.0" encoding="UTF-8"?><Types><Default Extension="xml"/></Types>"#, .deflate),
            ("word/document.xml", #"<w:document><w:body><w:p><w:r><w:t>怀来县 2001.89 万元 合计 合计 合计</w:t></w:r>"#
                + "</w:p></w:body></w:document>", .deflate),
            ("docProps/app.xml", "<Properties><Pages>1</Pages></Properties>", .none),
        ]
        guard let archive = try? Archive(accessMode: .create) else { return [] }
        for (path, text, method) in parts {
            let data = Data(text.utf8)
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                  modificationDate: Date(timeIntervalSince1970: 1_672_531_200),
                                  compressionMethod: method) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data.map { [Fuzzer.text(bytes: $0)] } ?? []
    }()
}

/// The budget whose exported workbook the "workbook" target mutates: one line in every table.
enum WorkbookFuzz {
    static let budget: Budget = {
        var b = Budget(fiscalYear: 2024, department: OrgRef(code: "434", name: "怀来县人民政府办公室部门"))
        b.revenue = [RevenueLine(source: .generalPublicBudget, amount: Fen(2_001_890_000))]
        b.expenditure = [
            ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "基本工资", functionCode: "2010301",
                            economicCode: "30101", amount: Fen(1_201_890_000)),
            ExpenditureLine(kind: .project, projectCode: "P1", functionCode: "2010350", amount: Fen(800_000_000)),
        ]
        b.threePublic.items = ThreePublicItems(outboundTravel: Fen(30_000_000), reception: Fen(211_500_000))
        b.operatingCosts = OperatingCosts(amount: Fen(291_210_000), use: "办公及印刷费")
        b.projects = [Project(code: "P1", name: "电子政务平台", fundDocument: "怀财字【2024】7号", amount: Fen(800_000_000),
                              fiscalFunds: Fen(800_000_000), spendingPlan: [SpendingCheckpoint(month: 6, percent: 50)],
                              target: "正常运行", indicators: [
                                  Indicator(level1: "产出指标", level2: "数量指标", name: "系统", description: "",
                                            comparator: .equal, value: "1", unit: "套", basis: ""),
                                  Indicator(level1: "满意度指标", level2: "服务对象满意度指标", name: "满意度",
                                            description: "", comparator: .atLeast, value: "95", unit: "%", basis: ""),
                              ])]
        b.procurement = [ProcurementLine(projectName: "电子政务平台", projectCode: "P1", projectAmount: Fen(800_000_000),
                                         itemName: "台式计算机", catalogCode: "A02010105", unitOfMeasure: "台",
                                         quantity: Quantity(thousandths: 2_500), unitPrice: Fen(600_000),
                                         amount: Fen(1_500_000), byFund: [.generalPublicBudget: Fen(1_500_000)],
                                         smeReserved: Fen(1_500_000))]
        b.assets = AssetHoldings(asOf: "2023-12-31", total: AssetRow(quantity: Quantity(968), value: Fen(211_990_000)),
                                 other: AssetRow(quantity: Quantity(968), value: Fen(211_990_000)))
        b.restateTotals()
        return b
    }()

    static let sheetNames = [BudgetWorkbook.about.name] + BudgetWorkbook.tables.map(\.name)

    static let parts: [String: Data] = (try? SafeArchive.entries(of: BudgetWorkbook.export(budget))) ?? [:]

    static let sheets: [XLSXSheet] = (try? XLSXReader.read(parts)) ?? []

    static let seeds: [String] = (1...sheetNames.count).compactMap { i in
        parts["xl/worksheets/sheet\(i).xml"].map { String(decoding: $0, as: UTF8.self) }
    }
}
