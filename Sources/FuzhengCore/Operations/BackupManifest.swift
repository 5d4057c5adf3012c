import Foundation

/// The list of every file in a backup with its size and SM3 digest, itself closed by the digest of all lines
/// before it, so a backup can be checked years later with any SM3 tool: `sm3 size path` per line.
public struct BackupManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var sm3: String

        public init(path: String, size: Int64, sm3: String) {
            self.path = path
            self.size = size
            self.sm3 = sm3
        }
    }

    public static let format = "fuzheng-backup/1"
    public static let fileName = "MANIFEST"

    public var createdAt: String
    public var database: String
    public var platformVersion: String
    public var entries: [Entry]

    public init(createdAt: String, database: String, platformVersion: String, entries: [Entry]) {
        self.createdAt = createdAt
        self.database = database
        self.platformVersion = platformVersion
        self.entries = entries.sorted { $0.path < $1.path }
    }

    public var text: String {
        var body = "# \(Self.format)\n# created \(createdAt)\n# database \(database)\n# platform \(platformVersion)\n"
        for e in entries { body += "\(e.sm3)  \(e.size)  \(e.path)\n" }
        return body + "# manifest-sm3 \(SM3.hexDigest(body))\n"
    }

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "MANIFEST 第 \(line) 行 / line \(line): \(message)" }
    }

    /// Reads a manifest and checks its closing digest; a path may not leave the backup folder.
    public static func parse(_ text: String) throws -> BackupManifest {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == "# \(format)" else {
            throw Problem(line: 1, message: "不是 \(format) 清单 / not a \(format) manifest")
        }
        guard let last = lines.last, last.hasPrefix("# manifest-sm3 ") else {
            throw Problem(line: lines.count, message: "清单不完整，缺少结尾摘要 / truncated: the closing digest is missing")
        }
        let body = lines.dropLast().map { $0 + "\n" }.joined()
        guard SM3.hexDigest(body) == String(last.dropFirst("# manifest-sm3 ".count)) else {
            throw Problem(line: lines.count, message: "清单被改动（摘要不符）/ the manifest was altered (digest mismatch)")
        }
        var created = "", database = "", platform = ""
        var entries: [Entry] = []
        for (index, line) in lines.dropLast().enumerated() {
            if line.hasPrefix("# created ") { created = String(line.dropFirst(10)); continue }
            if line.hasPrefix("# database ") { database = String(line.dropFirst(11)); continue }
            if line.hasPrefix("# platform ") { platform = String(line.dropFirst(11)); continue }
            if line.hasPrefix("#") { continue }
            let parts = line.components(separatedBy: "  ")
            guard parts.count == 3, parts[0].count == 64, let size = Int64(parts[1]), isSafe(parts[2]) else {
                throw Problem(line: index + 1, message: "格式错误 / malformed: \(line.prefix(80))")
            }
            entries.append(Entry(path: parts[2], size: size, sm3: parts[0]))
        }
        return BackupManifest(createdAt: created, database: database, platformVersion: platform, entries: entries)
    }

    /// Relative, no "..", no absolute path: restoring cannot write outside its folder.
    public static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
            && !path.contains("\\") && !path.contains("\0")
    }
}

/// Which backups to keep: the newest `keep`, by name (names sort by time).
public enum BackupGenerations {
    public static func toDelete(_ names: [String], keep: Int) -> [String] {
        let sorted = names.sorted()
        return sorted.count > keep ? Array(sorted.prefix(sorted.count - keep)) : []
    }
}
