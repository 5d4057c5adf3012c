import Foundation

/// Every downloadable format of a disclosure, built from the budget. PDF is made outside the core
/// (a browser prints the HTML), so it is not here.
public enum DisclosureFormat: String, Sendable, CaseIterable {
    case html, docx, xlsx, csv, json, datapackage

    /// Formats that are a folder of files rather than one file.
    public var isFolder: Bool { self == .csv || self == .datapackage }

    public var fileExtension: String { isFolder ? "zip" : self.rawValue }

    /// The downloaded file's name: the folder formats (CSV tables, the data package) are both ZIP files, so their
    /// names say which they hold.
    public func fileName(base: String) -> String {
        isFolder ? "\(base)-\(rawValue).zip" : "\(base).\(fileExtension)"
    }

    public var mediaType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .json: "application/json; charset=utf-8"
        case .csv, .datapackage: "application/zip"
        }
    }
}

public enum DisclosureExport {
    /// File name → bytes. Single-file formats give one entry.
    public static func files(_ b: Budget, format: DisclosureFormat, disclosure: Disclosure? = nil) throws -> [String: Data] {
        let d = disclosure ?? DisclosureBuilder.build(b)
        let base = "budget-\(b.department.code.isEmpty ? "dept" : b.department.code)-\(b.fiscalYear)"
        return try render(d, base: base, format: format) { try FiscalDataPackage.files(b, d) }
    }

    /// A document in one format; the data package is the caller's (a budget's, or a 决算's with both phases).
    static func render(_ d: Disclosure, base: String, format: DisclosureFormat,
                       dataPackage: () throws -> [String: Data]) throws -> [String: Data] {
        switch format {
        case .html: return ["\(base).html": Data(DisclosureHTML.document(d).utf8)]
        case .docx: return ["\(base).docx": try DisclosureDOCX.document(d)]
        case .xlsx: return ["\(base).xlsx": try DisclosureXLSX.workbook(d)]
        case .json: return ["\(base).json": try DisclosureJSON.document(d)]
        case .csv:
            var files: [String: Data] = [:]
            for t in d.tables { files[DisclosureCSV.fileName(t)] = Data(DisclosureCSV.table(t).utf8) }
            return files
        case .datapackage: return try dataPackage()
        }
    }

    /// A folder format packed as one ZIP, for a download link.
    public static func zip(_ files: [String: Data], folder: String) throws -> Data {
        var writer = ZipWriter()
        for (name, data) in files.sorted(by: { $0.key < $1.key }) { writer.add("\(folder)/\(name)", data) }
        return try writer.data()
    }
}

/// The 部门决算 in the same formats as the budget's disclosure; its data package carries both phases.
public enum FinalExport {
    public static func files(_ f: FinalAccounts, format: DisclosureFormat, disclosure: Disclosure? = nil) throws
        -> [String: Data] {
        let d = disclosure ?? FinalDisclosure.build(f)
        let base = "final-\(f.department.code.isEmpty ? "dept" : f.department.code)-\(f.fiscalYear)"
        return try DisclosureExport.render(d, base: base, format: format) {
            try FiscalDataPackage.files(f.budget, d, executed: f)
        }
    }
}
