import Foundation

/// One 件's archival package: a ZIP of its files and `metadata.xml`, which lists each file with its SM3 digest and
/// size. `verify` needs nothing but the package, so an archive can be checked years later without the platform.
public enum ArchivePackage {
    /// A file to put in the package.
    public struct Entry: Sendable {
        public var name: String
        public var role: String
        public var data: Data

        public init(name: String, role: String, data: Data) {
            self.name = name
            self.role = role
            self.data = data
        }
    }

    /// A package is larger than an uploaded Office file may be: an issued PDF with its attachments.
    static let limits = ArchiveLimits(maxEntries: 500, maxTotalUncompressed: 1 << 30, maxEntryUncompressed: 512 << 20,
                                      maxRatio: 1_000, maxCompressedSize: 1 << 30)

    /// The package of `metadata` (whose file list is filled in here) and `entries`, in the order given.
    public static func make(_ metadata: ArchiveMetadata, entries: [Entry]) throws -> Data {
        var m = metadata
        m.files = entries.map { .init(name: $0.name, role: $0.role, sm3: SM3.hash($0.data).hexString,
                                      bytes: $0.data.count) }
        var zip = ZipWriter()
        zip.add(ArchiveMetadata.fileName, m.xml)
        for e in entries { zip.add(e.name, e.data) }
        return try zip.data()
    }

    /// The package's metadata when every check passes; otherwise every problem found: an unreadable ZIP, missing or
    /// malformed fields, a 档号 not of the standard's form or not matching its parts, a listed file missing, a file
    /// whose size or SM3 differs from the list, a file the list does not name.
    public static func verify(_ data: Data) -> Result<ArchiveMetadata, ArchiveProblems> {
        let entries: [String: Data]
        do {
            entries = try SafeArchive.entries(of: data, limits: limits)
        } catch {
            return .failure(ArchiveProblems([.init("压缩包无法读取：\(error.messageZh)",
                                                   "the package cannot be read: \(error.messageEn)")]))
        }
        guard let xml = entries[ArchiveMetadata.fileName] else {
            return .failure(ArchiveProblems([.init("压缩包中没有 metadata.xml", "the package has no metadata.xml")]))
        }
        let metadata: ArchiveMetadata
        switch ArchiveMetadata.parse(xml) {
        case .failure(let problems): return .failure(problems)
        case .success(let m): metadata = m
        }
        var problems: [ArchiveProblem] = []
        var listed = Set<String>()
        for f in metadata.files {
            guard listed.insert(f.name).inserted else {
                problems.append(.init("文件清单重复列出“\(f.name)”", "the file list names \(f.name) twice"))
                continue
            }
            guard let bytes = entries[f.name] else {
                problems.append(.init("缺少文件“\(f.name)”", "the file \(f.name) is missing"))
                continue
            }
            if bytes.count != f.bytes {
                problems.append(.init("文件“\(f.name)”的大小为 \(bytes.count) 字节，清单记为 \(f.bytes) 字节",
                                      "\(f.name) has \(bytes.count) bytes; the list says \(f.bytes)"))
            }
            let digest = SM3.hash(bytes).hexString
            if digest != f.sm3 {
                problems.append(.init("文件“\(f.name)”的 SM3 摘要不符（应为 \(f.sm3)，实为 \(digest)）",
                                      "\(f.name)'s SM3 digest does not match (listed \(f.sm3), found \(digest))"))
            }
        }
        for name in entries.keys.sorted() where name != ArchiveMetadata.fileName && !listed.contains(name) {
            problems.append(.init("文件“\(name)”不在文件清单中", "\(name) is not in the file list"))
        }
        return problems.isEmpty ? .success(metadata) : .failure(ArchiveProblems(problems))
    }

    /// How many pages a PDF has (its /Type /Page objects); 0 when none are found.
    public static func pdfPages(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        let needle = Array("/Type".utf8)
        var count = 0
        var i = 0
        while i + needle.count < bytes.count {
            if bytes[i] == needle[0], Array(bytes[i..<i + needle.count]) == needle {
                var j = i + needle.count
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
                let page = Array("/Page".utf8)
                if j + page.count < bytes.count, Array(bytes[j..<j + page.count]) == page {
                    let next = bytes[j + page.count]
                    if !(next >= 0x41 && next <= 0x7A) { count += 1 }
                }
                i = j
            } else {
                i += 1
            }
        }
        return count
    }
}
