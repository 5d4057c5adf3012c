import FuzhengCore
import Testing

@Suite("Audit hash chain")
struct AuditChainTests {
    func chain(_ count: Int) -> [ChainedAuditEntry] {
        var records: [ChainedAuditEntry] = []
        for i in 1...count {
            let entry = AuditEntry(sequence: Int64(i), occurredAtMillis: 1_700_000_000_000 + Int64(i), userID: "u\(i)",
                                   username: "caiwu", unitCode: "434001", clientIP: "203.0.113.7",
                                   action: "login.success", result: "success", requestID: "r\(i)")
            records.append(AuditChain.chain(entry, after: records.last))
        }
        return records
    }

    @Test("an untouched chain verifies; the first record links to the genesis hash")
    func intact() {
        let records = chain(5)
        #expect(records[0].previousHash == AuditChain.genesis)
        #expect(AuditChain.verify(records) == nil)
    }

    @Test("editing any field of a stored record is found at that record")
    func edited() {
        var records = chain(5)
        records[2].entry.result = "failure"
        #expect(AuditChain.verify(records) == .contentAltered(sequence: 3))
    }

    @Test("re-hashing an edited record breaks the next link")
    func rehashed() {
        var records = chain(5)
        records[2].entry.summary = "forged"
        records[2].hash = AuditChain.hash(of: records[2].entry, previousHash: records[2].previousHash)
        #expect(AuditChain.verify(records) == .linkBroken(sequence: 4))
    }

    @Test("deleting a record is found as a gap; deleting the first as a broken link")
    func deleted() {
        var records = chain(5)
        records.remove(at: 1)
        #expect(AuditChain.verify(records) == .sequenceGap(after: 1, found: 3))
        var headless = chain(3)
        headless.removeFirst()
        #expect(AuditChain.verify(headless) == .linkBroken(sequence: 2))
    }

    @Test("fields cannot be shifted between neighbours without changing the hash")
    func canonicalIsUnambiguous() {
        let a = AuditEntry(sequence: 1, occurredAtMillis: 0, action: "x", objectType: "ab", objectID: "c", result: "success")
        let b = AuditEntry(sequence: 1, occurredAtMillis: 0, action: "x", objectType: "a", objectID: "bc", result: "success")
        #expect(AuditChain.hash(of: a, previousHash: AuditChain.genesis) != AuditChain.hash(of: b, previousHash: AuditChain.genesis))
    }
}
