import Foundation

/// A Frictionless Fiscal Data Package: datapackage.json, a normalised budget-lines.csv whose columns
/// map to fiscal types (amount, fiscal year, administrative / functional / economic classification,
/// project, direction, phase), and every disclosure table as its own CSV resource.
public enum FiscalDataPackage {
    /// With `executed`, the package is the 决算's: the budget's lines (phase "approved") and the year's outturn
    /// (phase "executed": income received and spending by line) side by side in one budget-lines.csv.
    public static func files(_ b: Budget, _ d: Disclosure, executed: FinalAccounts? = nil) throws -> [String: Data] {
        var files: [String: Data] = [:]
        var resources: [[String: Any]] = []

        let lineFields: [(String, String, String?)] = [
            ("fiscal_year", "integer", "date:fiscal-year"),
            ("department_code", "string", "administrative-classification:generic:level1:code"),
            ("department_name", "string", "administrative-classification:generic:level1:label"),
            ("unit_code", "string", "administrative-classification:generic:level2:code"),
            ("unit_name", "string", "administrative-classification:generic:level2:label"),
            ("direction", "string", "direction"),
            ("phase", "string", "phase"),
            ("kind", "string", "economic-classification:generic:level1:label"),
            ("function_code", "string", "functional-classification:generic:code"),
            ("economic_code", "string", "economic-classification:generic:code"),
            ("project_code", "string", "activity:generic:project:code"),
            ("label", "string", nil),
            ("fund_source", "string", "fin-source:generic:code"),
            ("amount", "number", "value"),
        ]
        let unit = b.units.first
        let phase = executed != nil || b.status == .published || b.status == .approved ? "approved" : "proposed"
        func row(_ cells: [String]) -> String {
            cells.map { c in c.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c }
                .joined(separator: ",")
        }
        var lines = [row(lineFields.map(\.0))]
        let common = [String(b.fiscalYear), b.department.code, b.department.name, unit?.code ?? "", unit?.name ?? ""]
        for r in b.revenue {
            lines.append(row(common + ["revenue", phase, "revenue", "", "", "", r.source.nameZh, r.source.rawValue, MoneyFormat.yuan(r.amount)]))
        }
        for e in b.expenditure {
            lines.append(row(common + ["expenditure", phase, e.kind.rawValue, e.functionCode ?? "", e.economicCode ?? "", e.projectCode ?? "",
                                       e.label ?? "", e.fundSource.rawValue, MoneyFormat.yuan(e.amount)]))
        }
        if let f = executed {
            for source in f.inputs.funds where source.received != .zero {
                lines.append(row(common + ["revenue", "executed", "revenue", "", "", "", source.source.nameZh,
                                           source.source.rawValue, MoneyFormat.yuan(source.received)]))
            }
            for e in f.actual {
                lines.append(row(common + ["expenditure", "executed", e.kind.rawValue, e.functionCode ?? "",
                                           e.economicCode ?? "", e.projectCode ?? "", e.label ?? "",
                                           e.fundSource.rawValue, MoneyFormat.yuan(e.amount)]))
            }
        }
        files["budget-lines.csv"] = Data((lines.joined(separator: "\n") + "\n").utf8)
        resources.append([
            "name": "budget-lines", "path": "budget-lines.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": "预算收支明细（金额单位：元）",
            "schema": ["fields": lineFields.map { f -> [String: Any] in
                var field: [String: Any] = ["name": f.0, "type": f.1]
                if let ct = f.2 { field["columnType"] = ct }
                if f.0 == "amount" { field["decimalChar"] = "."; field["description"] = "CNY (元)" }
                return field
            }],
        ])

        for t in d.tables {
            let name = "table-\(t.id.lowercased())"
            let csv = DisclosureCSV.table(t, bom: false).replacingOccurrences(of: "\r\n", with: "\n")
            files["\(name).csv"] = Data(csv.utf8)
            let headers = DisclosureCSV.headers(t)
            resources.append([
                "name": name, "path": "\(name).csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                "encoding": "utf-8", "title": t.title,
                "schema": ["fields": zip(headers, t.columns).map { header, column -> [String: Any] in
                    var field: [String: Any] = ["name": header, "type": column.kind == .amount || column.kind == .quantity ? "number" : "string"]
                    if let ct = column.fiscalType { field["columnType"] = ct }
                    return field
                }],
            ])
        }
        let package: [String: Any] = [
            "name": "\(executed == nil ? "budget" : "final")-"
                + "\(b.department.code.isEmpty ? "dept" : b.department.code)-\(b.fiscalYear)",
            "title": d.title.replacingOccurrences(of: "\n", with: " "),
            "profile": "tabular-data-package",
            "fiscalPeriod": ["start": "\(b.fiscalYear)-01-01", "end": "\(b.fiscalYear)-12-31"],
            "countryCode": "CN",
            "currency": "CNY",
            "licenses": [["name": "other-pd", "title": "政府信息公开 / government open information"]],
            "resources": resources,
        ]
        files["datapackage.json"] = try JSONSerialization.data(withJSONObject: package, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return files
    }
}
