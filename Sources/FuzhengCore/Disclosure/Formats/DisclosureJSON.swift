import Foundation

/// The disclosure as JSON: its sections and every table, amounts as numbers in 万元.
public enum DisclosureJSON {
    enum Cell: Encodable {
        case string(String)
        case number(Decimal)
        case null

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .string(let s): try c.encode(s)
            case .number(let d): try c.encode(d)
            case .null: try c.encodeNil()
            }
        }

        init(_ v: CellValue) {
            switch v {
            case .text(let s): self = .string(s)
            case .amount(let f): self = .number(Decimal(string: MoneyFormat.wan(f))!)
            case .quantity(let q): self = .number(Decimal(string: q.description)!)
            case .empty: self = .null
            }
        }
    }

    struct Table: Encodable {
        var id: String
        var title: String
        var unit: String?
        var facts: [String: String]
        var columns: [String]
        var rows: [[Cell]]
        var emptyStatement: String?
    }

    struct Section: Encodable {
        var heading: String
        var paragraphs: [String]
        var tables: [String]
    }

    struct Document: Encodable {
        var fiscalYear: Int
        var department: OrgRef
        var title: String
        var intro: String
        var currencyUnit = "万元"
        var sections: [Section]
        var tables: [Table]
    }

    static func table(_ t: ReportTable) -> Table {
        Table(id: t.id, title: t.title, unit: t.unitNote, facts: Dictionary(t.facts.map { ($0.label, $0.value) }, uniquingKeysWith: { a, _ in a }),
              columns: DisclosureCSV.headers(t), rows: t.rows.map { $0.cells.map(Cell.init) }, emptyStatement: t.emptyStatement)
    }

    public static func document(_ d: Disclosure) throws -> Data {
        let doc = Document(
            fiscalYear: d.fiscalYear, department: d.department, title: d.title, intro: d.intro,
            sections: d.sections.map { s in
                Section(heading: s.fullHeading,
                        paragraphs: s.blocks.compactMap { if case .paragraph(let p) = $0 { p } else if case .subheading(let h) = $0 { h } else { nil } },
                        tables: s.blocks.compactMap { if case .table(let id) = $0 { id } else { nil } })
            },
            tables: d.tables.map(table))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(doc)
    }

}
