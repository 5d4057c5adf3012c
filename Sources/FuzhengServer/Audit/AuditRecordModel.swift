import Fluent
import Foundation
import FuzhengCore

/// One append-only audit record. Nothing in the platform updates or deletes these rows.
final class AuditRecordModel: Model, @unchecked Sendable {
    static let schema = "audit_records"

    @ID(custom: "seq", generatedBy: .user) var id: Int64?
    @Field(key: "occurred_at_ms") var occurredAtMillis: Int64
    @OptionalField(key: "user_id") var userID: String?
    @OptionalField(key: "username") var username: String?
    @OptionalField(key: "unit_code") var unitCode: String?
    @OptionalField(key: "client_ip") var clientIP: String?
    @Field(key: "action") var action: String
    @OptionalField(key: "object_type") var objectType: String?
    @OptionalField(key: "object_id") var objectID: String?
    @OptionalField(key: "summary") var summary: String?
    @Field(key: "result") var result: String
    @OptionalField(key: "request_id") var requestID: String?
    @Field(key: "prev_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(_ chained: ChainedAuditEntry) {
        let e = chained.entry
        id = e.sequence
        occurredAtMillis = e.occurredAtMillis
        userID = e.userID
        username = e.username
        unitCode = e.unitCode
        clientIP = e.clientIP
        action = e.action
        objectType = e.objectType
        objectID = e.objectID
        summary = e.summary
        result = e.result
        requestID = e.requestID
        previousHash = chained.previousHash
        hash = chained.hash
    }

    var chained: ChainedAuditEntry {
        ChainedAuditEntry(
            entry: AuditEntry(
                sequence: id ?? 0, occurredAtMillis: occurredAtMillis, userID: userID, username: username,
                unitCode: unitCode, clientIP: clientIP, action: action, objectType: objectType,
                objectID: objectID, summary: summary, result: result, requestID: requestID),
            previousHash: previousHash, hash: hash)
    }

    var occurredAt: Date { Date(timeIntervalSince1970: Double(occurredAtMillis) / 1000) }
}
