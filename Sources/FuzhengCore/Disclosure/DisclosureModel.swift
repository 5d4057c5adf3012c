/// A 部门预算信息公开情况说明 as content, before any format: sections of paragraphs and tables.
/// Renderers (text, HTML, DOCX, XLSX, CSV, JSON) all start from this one value.
public struct Disclosure: Sendable, Codable, Equatable {
    public var fiscalYear: Int
    public var department: OrgRef
    public var title: String
    public var intro: String
    public var sections: [DisclosureSection]

    /// Every table of the document, in order (the standard tables first, then the section tables).
    public var tables: [ReportTable]

    public init(fiscalYear: Int, department: OrgRef, title: String, intro: String, sections: [DisclosureSection], tables: [ReportTable]) {
        self.fiscalYear = fiscalYear
        self.department = department
        self.title = title
        self.intro = intro
        self.sections = sections
        self.tables = tables
    }
}

public struct DisclosureSection: Sendable, Codable, Equatable {
    public var number: String
    public var heading: String
    public var blocks: [DisclosureBlock]

    public init(number: String, heading: String, blocks: [DisclosureBlock]) {
        self.number = number
        self.heading = heading
        self.blocks = blocks
    }

    /// "二、部门预算安排的总体情况"; the first section of the seed has no number.
    public var fullHeading: String { number.isEmpty ? heading : "\(number)、\(heading)" }
}

public enum DisclosureBlock: Sendable, Codable, Equatable {
    case subheading(String)
    case paragraph(String)
    /// A reference to `Disclosure.tables` by id.
    case table(String)
}

public enum CellValue: Sendable, Codable, Equatable {
    case text(String)
    case amount(Fen)
    case quantity(Quantity)
    case empty

    /// As the printed disclosure shows it: amounts in 万元 with two decimals.
    public var display: String {
        switch self {
        case .text(let s): s
        case .amount(let f): MoneyFormat.wan(f)
        case .quantity(let q): q.description
        case .empty: ""
        }
    }
}

public struct ReportColumn: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case text, code, amount, quantity }
    public var title: String
    public var kind: Kind
    /// The Fiscal Data Package type of the column, when it has one (e.g. "value", "functional-classification:generic:code").
    public var fiscalType: String?

    public init(_ title: String, _ kind: Kind = .text, fiscalType: String? = nil) {
        self.title = title
        self.kind = kind
        self.fiscalType = fiscalType
    }
}

public struct ReportRow: Sendable, Codable, Equatable {
    public var cells: [CellValue]
    public var isTotal: Bool
    public init(_ cells: [CellValue], isTotal: Bool = false) { self.cells = cells; self.isTotal = isTotal }
}

/// One table of the disclosure. A table without data still exists and says why it is empty.
public struct ReportTable: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    /// "单位：万元" — shown above the table.
    public var unitNote: String?
    /// Label–value pairs shown before the grid (a project's code, budget, use, plan, target).
    public var facts: [Fact]
    public var columns: [ReportColumn]
    public var rows: [ReportRow]
    public var emptyStatement: String?

    public struct Fact: Sendable, Codable, Equatable {
        public var label: String
        public var value: String
        public init(_ label: String, _ value: String) { self.label = label; self.value = value }
    }

    public init(id: String, title: String, unitNote: String? = "单位：万元", facts: [Fact] = [], columns: [ReportColumn],
                rows: [ReportRow], emptyStatement: String? = nil) {
        self.id = id
        self.title = title
        self.unitNote = unitNote
        self.facts = facts
        self.columns = columns
        self.rows = rows
        self.emptyStatement = emptyStatement
    }

    public var isEmpty: Bool { rows.isEmpty }
}
