import Foundation

/// A cell's content as the workbook stores it, before any field reads it.
public enum XLSXValue: Sendable, Equatable {
    /// The stored number's text exactly as written ("12.349999999999999", "1.2E+5"), never through a Double.
    case number(String)
    case text(String)
    case bool(Bool)
    /// An error value such as #N/A or #REF!, or a reference the file cannot resolve.
    case error(String)
    /// A formula saved without its result (as openpyxl writes one): only an office suite can compute it.
    case formulaWithoutValue
    /// A date cell (t="d"), ISO 8601 text.
    case date(String)

    public var isBlank: Bool {
        if case .text(let s) = self { return s.allSatisfy(\.isWhitespace) }
        return false
    }

    /// What a problem shows of the cell.
    public var shown: String {
        switch self {
        case .number(let s), .text(let s), .date(let s): s
        case .bool(let b): b ? "TRUE" : "FALSE"
        case .error(let e): e
        case .formulaWithoutValue: "=…"
        }
    }
}

/// One worksheet: its cells by row (1-based, as shown) and column (0-based), and its merged ranges.
public struct XLSXSheet: Sendable {
    public var name: String
    public var cells: [Int: [Int: XLSXValue]]
    /// Every cell of a merged range but its first, pointing at the first (row, column).
    var mergedInto: [Int: [Int: (Int, Int)]]

    /// The cell's value; a cell inside a merged range shows the range's value, as a person sees it.
    public func value(_ row: Int, _ column: Int) -> XLSXValue? {
        if let v = cells[row]?[column] { return v.isBlank ? nil : v }
        if let (r, c) = mergedInto[row]?[column], let v = cells[r]?[c] { return v.isBlank ? nil : v }
        return nil
    }

    /// The first cell of the merged range holding (row, column), or the cell itself.
    func origin(_ row: Int, _ column: Int) -> (Int, Int) { mergedInto[row]?[column] ?? (row, column) }

    public var rowNumbers: [Int] { cells.keys.sorted() }

    /// The columns of a row that show something: its own cells and those merged into from elsewhere.
    public func columns(in row: Int) -> [Int] {
        Set((cells[row] ?? [:]).keys).union((mergedInto[row] ?? [:]).keys).sorted()
    }

    public var lastColumn: Int { cells.values.compactMap { $0.keys.max() }.max() ?? -1 }
}

/// Reads the worksheets of an uploaded XLSX through `SafeArchive` (limits on sizes, ratios, entries and paths) and
/// `SafeXML` (no DTD, no entities), never through a reader that trusts the file.
public enum XLSXReader {
    /// Cells and merged cells a workbook may hold in all: a county budget has a few thousand.
    public static let maxCells = 400_000
    public static let maxRow = 1_048_576
    public static let maxColumn = 16_384

    public static func sheets(_ data: Data, limits: ArchiveLimits) -> Result<[XLSXSheet], WorkbookProblem> {
        let entries: [String: Data]
        do {
            entries = try SafeArchive.entries(of: data, limits: limits)
        } catch {
            return .failure(WorkbookProblem(sheet: "", zh: error.messageZh, en: error.messageEn))
        }
        return sheets(parts: entries)
    }

    /// The worksheets of a package already opened (by `SafeArchive`, or by the fuzzer).
    static func sheets(parts: [String: Data]) -> Result<[XLSXSheet], WorkbookProblem> {
        do {
            return .success(try read(parts))
        } catch let problem as WorkbookProblem {
            return .failure(problem)
        } catch {
            return .failure(notAWorkbook)
        }
    }

    static let notAWorkbook = WorkbookProblem(sheet: "", zh: "不是 Excel 工作簿（.xlsx）",
                                              en: "this is not an Excel workbook (.xlsx)")

    static func xml(_ entries: [String: Data], _ path: String) throws -> SafeXMLElement? {
        guard let data = entries[path] else { return nil }
        do {
            return try SafeXML.parse(data)
        } catch {
            throw WorkbookProblem(sheet: "", zh: "部件 \(path)：\(error.messageZh)",
                                  en: "part \(path): \(error.messageEn)")
        }
    }

    /// "x:sheet" → "sheet": some writers prefix the spreadsheet namespace.
    static func local(_ name: String) -> Substring {
        name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? Substring(name)
    }

    static func children(_ e: SafeXMLElement, _ name: String) -> [SafeXMLElement] {
        e.children.filter { local($0.name) == name }
    }

    static func child(_ e: SafeXMLElement, _ name: String) -> SafeXMLElement? {
        e.children.first { local($0.name) == name }
    }

    /// Relationship id → target path inside the package, resolved against the part's folder.
    static func relationships(_ entries: [String: Data],
                              of part: String) throws -> [String: (type: String, path: String)] {
        let folder = part.split(separator: "/").dropLast().joined(separator: "/")
        let name = part.split(separator: "/").last.map(String.init) ?? part
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        guard let rels = try xml(entries, relsPath) else { return [:] }
        var result: [String: (String, String)] = [:]
        for r in children(rels, "Relationship") {
            guard let id = r.attributes["Id"], let target = r.attributes["Target"],
                  r.attributes["TargetMode"] != "External" else { continue }
            result[id] = (r.attributes["Type"] ?? "", resolve(target, in: folder))
        }
        return result
    }

    static func resolve(_ target: String, in folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == "." { continue }
            if piece == ".." { _ = parts.popLast(); continue }
            parts.append(piece)
        }
        return parts.joined(separator: "/")
    }

    static func read(_ entries: [String: Data]) throws -> [XLSXSheet] {
        let root = try relationships(entries, of: "")
        let workbookPath = root.values.first { $0.type.hasSuffix("/officeDocument") }?.path ?? "xl/workbook.xml"
        guard let workbook = try xml(entries, workbookPath), local(workbook.name) == "workbook" else {
            throw notAWorkbook
        }
        let rels = try relationships(entries, of: workbookPath)
        var shared: [String] = []
        if let path = rels.values.first(where: { $0.type.hasSuffix("/sharedStrings") })?.path,
           let sst = try xml(entries, path) {
            shared = children(sst, "si").map(text)
        }
        var budget = maxCells
        var sheets: [XLSXSheet] = []
        for s in child(workbook, "sheets").map({ children($0, "sheet") }) ?? [] {
            guard let name = s.attributes["name"],
                  let id = s.attributes.first(where: { local($0.key) == "id" && $0.key.contains(":") })?.value,
                  let rel = rels[id], rel.type.hasSuffix("/worksheet") else { continue }
            guard let xml = try xml(entries, rel.path) else {
                throw WorkbookProblem(sheet: name, zh: "工作簿缺少这张工作表的内容（\(rel.path)）",
                                      en: "the workbook lacks this sheet's part (\(rel.path))")
            }
            sheets.append(try sheet(xml, name: name, shared: shared, budget: &budget))
        }
        guard !sheets.isEmpty else { throw notAWorkbook }
        return sheets
    }

    /// The text of a shared or inline string: its <t>, or its runs' <t>s; phonetic guides (<rPh>) are not text.
    static func text(_ e: SafeXMLElement) -> String {
        var s = ""
        for c in e.children {
            switch local(c.name) {
            case "t": s += c.text
            case "r": s += children(c, "t").map(\.text).joined()
            default: continue
            }
        }
        return s
    }

    /// "AB12" → (row 12, column 27); nil when it is not a cell reference inside the sheet's bounds.
    public static func reference(_ ref: Substring) -> (row: Int, column: Int)? {
        let letters = ref.prefix { $0.isASCII && $0.isLetter }
        let digits = ref.dropFirst(letters.count)
        guard (1...3).contains(letters.count), (1...7).contains(digits.count),
              digits.allSatisfy({ $0.isASCII && $0.isNumber }), let row = Int(digits), (1...maxRow).contains(row)
        else { return nil }
        var column = 0
        for c in letters.uppercased().unicodeScalars { column = column * 26 + Int(c.value) - 64 }
        guard column <= maxColumn else { return nil }
        return (row, column - 1)
    }

    static func tooLarge(_ name: String) -> WorkbookProblem {
        WorkbookProblem(sheet: name, zh: "单元格过多（全部工作表合计上限 \(maxCells) 个）",
                        en: "too many cells (at most \(maxCells) in all sheets)")
    }

    static func sheet(_ root: SafeXMLElement, name: String, shared: [String], budget: inout Int) throws -> XLSXSheet {
        var cells: [Int: [Int: XLSXValue]] = [:]
        var previousRow = 0
        for row in child(root, "sheetData").map({ children($0, "row") }) ?? [] {
            let rowNumber = row.attributes["r"].flatMap(Int.init) ?? previousRow + 1
            guard (1...maxRow).contains(rowNumber) else {
                throw WorkbookProblem(sheet: name, zh: "行号 \(rowNumber) 超出范围",
                                      en: "row number \(rowNumber) is out of range")
            }
            previousRow = rowNumber
            var column = -1
            for c in children(row, "c") {
                if let ref = c.attributes["r"] {
                    guard let at = reference(Substring(ref)) else {
                        throw WorkbookProblem(sheet: name, row: rowNumber, value: ref,
                                              zh: "单元格地址“\(ref)”无效", en: "the cell reference “\(ref)” is invalid")
                    }
                    column = at.column
                } else {
                    column += 1
                }
                guard column < maxColumn else { continue }
                guard let value = value(c, shared: shared) else { continue }
                budget -= 1
                guard budget >= 0 else { throw tooLarge(name) }
                cells[rowNumber, default: [:]][column] = value
            }
        }
        var merged: [Int: [Int: (Int, Int)]] = [:]
        let lastRow = cells.keys.max() ?? 0
        let lastColumn = cells.values.compactMap { $0.keys.max() }.max() ?? -1
        for m in child(root, "mergeCells").map({ children($0, "mergeCell") }) ?? [] {
            let ends = (m.attributes["ref"] ?? "").split(separator: ":")
            guard ends.count == 2, let a = reference(ends[0]), let b = reference(ends[1]) else { continue }
            // Only the part of a range that reaches cells with content can show anything.
            let (top, left) = (min(a.row, b.row), min(a.column, b.column))
            let rows = top...min(max(a.row, b.row), max(lastRow, top))
            let columns = left...min(max(a.column, b.column), max(lastColumn, left))
            budget -= rows.count * columns.count
            guard budget >= 0 else { throw tooLarge(name) }
            for r in rows {
                for c in columns where (r, c) != (rows.lowerBound, columns.lowerBound) {
                    merged[r, default: [:]][c] = (rows.lowerBound, columns.lowerBound)
                }
            }
        }
        return XLSXSheet(name: name, cells: cells, mergedInto: merged)
    }

    static func value(_ c: SafeXMLElement, shared: [String]) -> XLSXValue? {
        let v = child(c, "v")?.text
        switch c.attributes["t"] ?? "n" {
        case "s":
            guard let v, let i = Int(v.trimmingCharacters(in: .whitespaces)) else { return nil }
            return shared.indices.contains(i) ? .text(shared[i]) : .error("#REF!")
        case "inlineStr":
            return child(c, "is").map { .text(text($0)) }
        case "str":
            return .text(v ?? "")
        case "b":
            return v.map { .bool($0.trimmingCharacters(in: .whitespaces) == "1") }
        case "e":
            return .error(v ?? "#VALUE!")
        case "d":
            return v.map { .date($0.trimmingCharacters(in: .whitespaces)) }
        default:
            guard let v else { return child(c, "f") == nil ? nil : .formulaWithoutValue }
            let trimmed = v.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : .number(trimmed)
        }
    }
}
