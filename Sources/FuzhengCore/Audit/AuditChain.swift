/// The content of one audit record, exactly as stored. Its hash covers every field and the
/// previous record's hash, so editing, deleting or reordering any stored record breaks the chain.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var sequence: Int64
    /// Milliseconds since 1970, stored as an integer so every database gives back the same value.
    public var occurredAtMillis: Int64
    public var userID: String?
    public var username: String?
    public var unitCode: String?
    public var clientIP: String?
    public var action: String
    public var objectType: String?
    public var objectID: String?
    public var summary: String?
    public var result: String
    public var requestID: String?

    public init(
        sequence: Int64, occurredAtMillis: Int64, userID: String? = nil, username: String? = nil,
        unitCode: String? = nil, clientIP: String? = nil, action: String, objectType: String? = nil,
        objectID: String? = nil, summary: String? = nil, result: String, requestID: String? = nil
    ) {
        self.sequence = sequence
        self.occurredAtMillis = occurredAtMillis
        self.userID = userID
        self.username = username
        self.unitCode = unitCode
        self.clientIP = clientIP
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.summary = summary
        self.result = result
        self.requestID = requestID
    }

    /// Length-prefixed fields: no separator character inside a value can make two records collide.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        func field(_ value: String?) {
            guard let value else {
                out.append(contentsOf: Array("-1:".utf8))
                return
            }
            let bytes = Array(value.utf8)
            out.append(contentsOf: Array("\(bytes.count):".utf8))
            out.append(contentsOf: bytes)
        }
        field(String(sequence))
        field(String(occurredAtMillis))
        field(userID)
        field(username)
        field(unitCode)
        field(clientIP)
        field(action)
        field(objectType)
        field(objectID)
        field(summary)
        field(result)
        field(requestID)
        return out
    }
}

public struct ChainedAuditEntry: Sendable, Equatable {
    public var entry: AuditEntry
    public var previousHash: String
    public var hash: String

    public init(entry: AuditEntry, previousHash: String, hash: String) {
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }
}

public enum AuditChain {
    /// The previous hash of the first record.
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(of entry: AuditEntry, previousHash: String) -> String {
        var hasher = SM3()
        hasher.update(previousHash)
        hasher.update(entry.canonicalBytes)
        return hasher.finalize().hexString
    }

    public static func chain(_ entry: AuditEntry, after previous: ChainedAuditEntry?) -> ChainedAuditEntry {
        let previousHash = previous?.hash ?? genesis
        return ChainedAuditEntry(entry: entry, previousHash: previousHash, hash: hash(of: entry, previousHash: previousHash))
    }

    public enum Break: Sendable, Equatable {
        /// The record's stored hash is not the hash of its content: the record was edited.
        case contentAltered(sequence: Int64)
        /// The record does not point at the one before it: a record was removed, inserted or reordered.
        case linkBroken(sequence: Int64)
        /// Sequence numbers are not consecutive: a record was removed.
        case sequenceGap(after: Int64, found: Int64)

        public var sequence: Int64 {
            switch self {
            case .contentAltered(let s), .linkBroken(let s): s
            case .sequenceGap(_, let found): found
            }
        }
    }

    public struct Verifier: Sendable {
        private var previous: ChainedAuditEntry?
        public private(set) var checked = 0
        public private(set) var firstBreak: Break?

        public init() {}

        /// Feed records in sequence order; the first break is kept.
        public mutating func check(_ record: ChainedAuditEntry) {
            defer {
                previous = record
                checked += 1
            }
            guard firstBreak == nil else { return }
            let expectedPrevious = previous?.hash ?? genesis
            if let previous, record.entry.sequence != previous.entry.sequence + 1 {
                firstBreak = .sequenceGap(after: previous.entry.sequence, found: record.entry.sequence)
            } else if hash(of: record.entry, previousHash: record.previousHash) != record.hash {
                firstBreak = .contentAltered(sequence: record.entry.sequence)
            } else if record.previousHash != expectedPrevious {
                firstBreak = .linkBroken(sequence: record.entry.sequence)
            }
        }
    }

    public static func verify<S: Sequence>(_ records: S) -> Break? where S.Element == ChainedAuditEntry {
        var verifier = Verifier()
        for record in records { verifier.check(record) }
        return verifier.firstBreak
    }
}
