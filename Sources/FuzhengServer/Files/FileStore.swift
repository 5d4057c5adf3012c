import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Everything that is not a database row — cached PDFs now; attachments, seals and archive packages later — kept as
/// files named by their SM3 digest under `objects/ab/cdef…`. Content addressing makes a write idempotent and lets a
/// backup or a restore check every file; a file is written to a temporary name and renamed, so a crash never
/// leaves half a file under a real name. Which file serves what is a row in `stored_files` (kind + key → digest).
public struct FileStore: Sendable {
    public let root: URL
    let pool: NIOThreadPool
    private let verified = NIOLockedValueBox<[String: String]>([:])

    public init(root: URL, pool: NIOThreadPool) {
        self.root = root
        self.pool = pool
    }

    public struct Missing: Error, CustomStringConvertible {
        public var digest: String
        public var description: String { "文件库中缺少文件 \(digest) / the file store has no file \(digest)" }
    }

    static func isDigest(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    public func path(of digest: String) -> URL {
        root.appendingPathComponent("objects", isDirectory: true)
            .appendingPathComponent(String(digest.prefix(2)), isDirectory: true)
            .appendingPathComponent(String(digest.dropFirst(2)))
    }

    /// Stores the bytes and returns their digest; storing the same bytes again writes nothing.
    public func put(_ data: Data) async throws -> String {
        try await pool.runIfActive { try putNow(data) }
    }

    func putNow(_ data: Data) throws -> String {
        let digest = Self.digest(of: data)
        let target = path(of: digest)
        let fm = FileManager.default
        // An existing file is kept only if it is still whole; a damaged one is replaced by these bytes.
        if let existing = fm.contents(atPath: target.path), Self.digest(of: existing) == digest { return digest }
        let folder = target.deletingLastPathComponent()
        try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = folder.appendingPathComponent(".tmp-\(UUID().uuidString)")
        guard fm.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "cannot write \(temporary.path)")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.synchronize()
        try handle.close()
        if rename(temporary.path, target.path) != 0 {
            try? fm.removeItem(at: temporary)
            throw Abort(.internalServerError, reason: "cannot rename into \(target.path): errno \(errno)")
        }
        return digest
    }

    public func get(_ digest: String) async throws -> Data {
        try await pool.runIfActive { try getNow(digest) }
    }

    /// The name is the content's SM3: a file that no longer matches it is damaged and is never served.
    func getNow(_ digest: String) throws -> Data {
        let path = path(of: digest).path
        guard Self.isDigest(digest), let data = FileManager.default.contents(atPath: path) else {
            throw Missing(digest: digest)
        }
        // Checked once per process while the file's size and modification time stay as they were then.
        let stamp = Self.stamp(path)
        if let stamp, verified.withLockedValue({ $0[digest] == stamp }) { return data }
        guard Self.digest(of: data) == digest else { throw Damaged(digest: digest) }
        if let stamp { verified.withLockedValue { $0[digest] = stamp } }
        return data
    }

    private static func stamp(_ path: String) -> String? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path),
              let size = a[.size] as? NSNumber, let modified = a[.modificationDate] as? Date else { return nil }
        return "\(size)|\(modified.timeIntervalSince1970)"
    }

    static func digest(of data: Data) -> String { SM3.hash(data).hexString }

    public struct Damaged: Error, CustomStringConvertible {
        public var digest: String
        public var description: String { "文件库中的文件 \(digest) 已损坏 / the stored file \(digest) is damaged" }
    }

    public func exists(_ digest: String) -> Bool {
        Self.isDigest(digest) && FileManager.default.fileExists(atPath: path(of: digest).path)
    }

    /// Every stored file's digest, from the folder names (for backups and checks).
    public func allDigests() throws -> [String] {
        let objects = root.appendingPathComponent("objects", isDirectory: true)
        let fm = FileManager.default
        guard fm.fileExists(atPath: objects.path) else { return [] }
        var digests: [String] = []
        for prefix in try fm.contentsOfDirectory(atPath: objects.path).sorted() where prefix.count == 2 {
            let folder = objects.appendingPathComponent(prefix).path
            for rest in try fm.contentsOfDirectory(atPath: folder).sorted() where !rest.hasPrefix(".") {
                if Self.isDigest(prefix + rest) { digests.append(prefix + rest) }
            }
        }
        return digests
    }
}

/// What a stored file is for: a `kind` ("pdf" …) and a key within it (a disclosure version's id …).
final class StoredFileModel: Model, @unchecked Sendable {
    static let schema = "stored_files"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "key") var key: String
    @Field(key: "digest") var digest: String
    @Field(key: "byte_count") var byteCount: Int
    @Field(key: "media_type") var mediaType: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(kind: String, key: String, digest: String, byteCount: Int, mediaType: String, createdAt: Date) {
        self.kind = kind
        self.key = key
        self.digest = digest
        self.byteCount = byteCount
        self.mediaType = mediaType
        self.createdAt = createdAt
    }
}

struct M008CreateStoredFiles: AsyncMigration {
    var name: String { "M008CreateStoredFiles" }

    func prepare(on database: Database) async throws {
        try await database.schema(StoredFileModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("key", .string, .required)
            .field("digest", .string, .required)
            .field("byte_count", .int64, .required)
            .field("media_type", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "kind", "key")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredFileModel.schema).delete()
    }
}

enum StoredFiles {
    static let disclosurePDF = "disclosure-pdf"
    static let finalPDF = "final-pdf"
    static let evaluationPDF = "evaluation-pdf"

    static func find(kind: String, key: String, on db: Database) async throws -> StoredFileModel? {
        try await StoredFileModel.query(on: db).filter(\.$kind == kind).filter(\.$key == key).first()
    }

    /// Records the file; when two servers render the same thing at once, the first record stays (same content).
    static func record(_ file: StoredFileModel, on db: Database) async throws {
        do {
            try await file.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return
        }
    }
}

extension Application {
    var files: FileStore { fuzheng.files }
}

extension Request {
    var files: FileStore { application.fuzheng.files }
}
