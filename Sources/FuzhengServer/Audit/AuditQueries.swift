import Fluent
import FuzhengCore
import Foundation

/// Filters of the audit log page and its CSV export.
struct AuditFilter: Sendable, Equatable {
    var username = ""
    var action = ""
    var result = ""
    /// yyyy-MM-dd, in China Standard Time, inclusive.
    var from = ""
    var to = ""

    static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    var queryString: String {
        [("username", username), ("action", action), ("result", result), ("from", from), ("to", to)]
            .filter { !$0.1.isEmpty }
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
    }

    static func day(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return DayInput.iso(text).flatMap { formatter.date(from: $0) }
    }

    static func display(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    func apply(_ query: QueryBuilder<AuditRecordModel>) {
        if !username.isEmpty { query.filter(\.$username == username.lowercased()) }
        if !action.isEmpty { query.filter(\.$action == action) }
        if !result.isEmpty { query.filter(\.$result == result) }
        if let start = Self.day(from) { query.filter(\.$occurredAtMillis >= Int64(start.timeIntervalSince1970 * 1000)) }
        if let end = Self.day(to) { query.filter(\.$occurredAtMillis < Int64((end.timeIntervalSince1970 + 86_400) * 1000)) }
    }
}

enum AuditQueries {
    static func page(_ filter: AuditFilter, page: Int, perPage: Int, on db: Database) async throws -> (items: [AuditRecordModel], total: Int) {
        let query = AuditRecordModel.query(on: db)
        filter.apply(query)
        let total = try await query.count()
        let items = try await query.sort(\.$id, .descending).range(((page - 1) * perPage)..<(page * perPage)).all()
        return (items, total)
    }

    static func all(_ filter: AuditFilter, limit: Int, on db: Database) async throws -> [AuditRecordModel] {
        let query = AuditRecordModel.query(on: db)
        filter.apply(query)
        return try await query.sort(\.$id, .ascending).limit(limit).all()
    }

    /// RFC 4180 CSV with a UTF-8 BOM so spreadsheet programs open Chinese text correctly.
    static func csv(_ records: [AuditRecordModel]) -> String {
        func cell(_ value: String?) -> String {
            let v = value ?? ""
            let guarded = v.first.map { "=+-@".contains($0) } == true ? "'" + v : v  // keep spreadsheet formulas inert
            return guarded.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + guarded.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : guarded
        }
        var lines = ["seq,time,username,unit,client_ip,action,object_type,object_id,summary,result,request_id,prev_hash,hash"]
        for r in records {
            lines.append([String(r.id ?? 0), AuditFilter.display(r.occurredAt), r.username, r.unitCode, r.clientIP, r.action,
                          r.objectType, r.objectID, r.summary, r.result, r.requestID, r.previousHash, r.hash]
                .map(cell).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
