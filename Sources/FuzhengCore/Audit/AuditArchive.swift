import Foundation

/// Audit records moved out of the database after their online period, as a file that can be checked without
/// the platform: a header line, then one JSON object per record with its content, the previous record's hash and
/// its own (SM3 over `AuditEntry.canonicalBytes`, see docs/SECURITY.md). The first record of a file links to the
/// last of the file before, the last record of the newest file to the first record still in the database.
public enum AuditArchiveFile {
    public static let format = "fuzheng-audit-archive/1"

    struct Header: Codable {
        var format: String
        var first: Int64
        var last: Int64
        var count: Int
    }

    struct Line: Codable {
        var entry: AuditEntry
        var previousHash: String
        var hash: String
    }

    public struct Unreadable: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "审计归档文件第 \(line) 行无法读取 / audit archive line \(line) unreadable: \(reason)" }
    }

    public static func encode(_ records: [ChainedAuditEntry]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = Header(format: format, first: records.first?.entry.sequence ?? 0,
                            last: records.last?.entry.sequence ?? 0, count: records.count)
        var out = try encoder.encode(header)
        out.append(0x0A)
        for r in records {
            out.append(try encoder.encode(Line(entry: r.entry, previousHash: r.previousHash, hash: r.hash)))
            out.append(0x0A)
        }
        return out
    }

    public static func decode(_ data: Data) throws -> [ChainedAuditEntry] {
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
        let decoder = JSONDecoder()
        guard let first = lines.first, let header = try? decoder.decode(Header.self, from: Data(first)),
              header.format == format else {
            throw Unreadable(line: 1, reason: "not a \(format) file")
        }
        var records: [ChainedAuditEntry] = []
        for (index, line) in lines.dropFirst().enumerated() {
            do {
                let l = try decoder.decode(Line.self, from: Data(line))
                records.append(ChainedAuditEntry(entry: l.entry, previousHash: l.previousHash, hash: l.hash))
            } catch {
                throw Unreadable(line: index + 2, reason: "\(error)")
            }
        }
        guard records.count == header.count, records.first?.entry.sequence ?? 0 == header.first,
              records.last?.entry.sequence ?? 0 == header.last else {
            throw Unreadable(line: 1, reason: "the header says \(header.count) records \(header.first)…\(header.last)")
        }
        return records
    }
}
