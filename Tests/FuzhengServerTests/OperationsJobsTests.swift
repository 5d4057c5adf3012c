import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

@Suite("Sessions that do not write on every page")
struct QuietSessionTests {
    @Test("a signed-in page read twice within a minute writes the session once at most; after a minute once more")
    func lastSeenOncePerMinute() async throws {
        try await withFuzhengApp { app, clock in
            let browser = Browser(app)
            try await browser.login("caiwu")
            try await browser.get("/home")
            let before = app.fuzheng.sessionWrites.value
            for _ in 0..<5 { #expect(try await browser.get("/home").status == .ok) }
            #expect(app.fuzheng.sessionWrites.value == before, "pages within the minute wrote the session")
            clock.advance(by: 61)
            #expect(try await browser.get("/home").status == .ok)
            #expect(app.fuzheng.sessionWrites.value == before + 1)
            #expect(try await browser.get("/home").status == .ok)
            #expect(app.fuzheng.sessionWrites.value == before + 1)
        }
    }

    @Test("the idle timeout still ends a session idle past it, to the minute")
    func idleStillEnds() async throws {
        try await withFuzhengApp { app, clock in
            let browser = Browser(app)
            try await browser.login("caiwu")
            clock.advance(by: 29 * 60)
            #expect(try await browser.get("/home").status == .ok)
            clock.advance(by: 29 * 60)
            #expect(try await browser.get("/home").status == .ok, "a page 29 minutes ago kept the session alive")
            clock.advance(by: 31 * 60)
            let expired = try await browser.get("/home")
            #expect(expired.status == .seeOther)
            #expect(try await auditRecords(app, action: .sessionTimeout).count == 1)
        }
    }

    @Test("the session and its user come back in one query; a session naming no valid user brings no user")
    func sessionWithUser() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            try await browser.login("caiwu")
            let key = try #require(browser.cookies["fz_session"])
            let sql = try #require(app.db as? any SQLDatabase)
            let joined = try #require(try await SessionUserRow.withSession(key, on: sql))
            #expect(joined.user?.username == "caiwu")
            #expect(joined.user?.unitCode == "434001")
            #expect(joined.data["csrf"] != nil)
            for uid in ["not-a-uuid'; DROP TABLE users; --", UUID().uuidString] {
                let forged = SessionRecord(key: SessionID(string: "forged-\(uid.count)"), data: SessionData(["uid": uid]))
                try await forged.create(on: app.db)
                let row = try #require(try await SessionUserRow.withSession("forged-\(uid.count)", on: sql))
                #expect(row.user == nil)
                #expect(row.data["uid"] == uid)
            }
            #expect(try await SessionUserRow.withSession("no-such-session", on: sql) == nil)
            #expect(try await UserModel.query(on: app.db).count() > 5)
        }
    }

    @Test("a deactivation made by another app server ends the session here once the cached read is older than its lifetime")
    func cachedSessionBounded() async throws {
        for lifetime in [0, 300] {
            try await withFuzhengApp(configure: { $0.sessionCacheMilliseconds = lifetime }) { app, _ in
                let browser = Browser(app)
                try await browser.login("caiwu")
                #expect(try await browser.get("/home").status == .ok)
                // Another server's change: straight to the database, past this server's audit log.
                let sql = try #require(app.db as? any SQLDatabase)
                try await sql.raw("UPDATE users SET is_active = \(bind: false) WHERE username = 'caiwu'").run()
                try await Task.sleep(for: .milliseconds(lifetime + 100))
                #expect(try await browser.get("/home").status == .seeOther, "lifetime \(lifetime) ms")
            }
        }
    }

    @Test("a change made on this server is seen by the next request at once, cache or not")
    func localChangeAtOnce() async throws {
        try await withFuzhengApp(configure: { $0.sessionCacheMilliseconds = 60_000 }) { app, _ in
            let clerk = Browser(app)
            try await clerk.login("caiwu")
            #expect(try await clerk.get("/home").status == .ok)
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$username == "caiwu").first())
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                user.isActive = false
                try await user.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "user", objectID: "caiwu", summary: "deactivated"))
            }
            #expect(try await clerk.get("/home").status == .seeOther)
        }
    }

    @Test("the session user comes from one query: name, unit, role and the unread count")
    func sessionUserRow() async throws {
        try await withFuzhengApp { app, _ in
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$username == "caiwu").first())
            let row = try #require(try await SessionUserRow.query(on: app.db, userID: user.requireID()))
            #expect(row.username == "caiwu")
            #expect(row.unitCode == "434001")
            #expect(row.role == user.roleRaw)
            #expect(row.isActive)
            #expect(try await SessionUserRow.query(on: app.db, userID: UUID()) == nil)
        }
    }
}

@Suite("Bounded PDF workers and the file store")
struct PDFAndFileStoreTests {
    @Test("at most N renders run at once; the queue is bounded; a full queue answers at once")
    func boundedWorkers() async throws {
        let workers = PDFWorkers(workers: 2, queue: 1, wait: .seconds(30))
        let running = NIOLockedValueBox((now: 0, peak: 0))
        let gate = AsyncStream<Void>.makeStream()
        let release = NIOLockedValueBox(false)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await workers.run {
                        running.withLockedValue { $0.now += 1; $0.peak = max($0.peak, $0.now) }
                        while !release.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
                        running.withLockedValue { $0.now -= 1 }
                        return true
                    }
                }
            }
            while workers.load != (2, 1) { try await Task.sleep(for: .milliseconds(10)) }
            await #expect(throws: PDFWorkers.Busy.self) { try await workers.run { true } }
            release.withLockedValue { $0 = true }
            var done = 0
            for try await ok in group where ok { done += 1 }
            #expect(done == 3)
        }
        gate.continuation.finish()
        #expect(running.withLockedValue { $0.peak } == 2)
        #expect(workers.load == (0, 0))
    }

    @Test("a request waiting longer than the limit is told to retry")
    func waitTimeout() async throws {
        let workers = PDFWorkers(workers: 1, queue: 4, wait: .milliseconds(200))
        let release = NIOLockedValueBox(false)
        async let first: Bool = workers.run {
            while !release.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            return true
        }
        while workers.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: PDFWorkers.Busy.self) { try await workers.run { true } }
        release.withLockedValue { $0 = true }
        #expect(try await first)
    }

    @Test("files are stored once under their SM3 digest, atomically, and read back whole")
    func fileStore() async throws {
        try await withFuzhengApp(demo: false) { app, _ in
            let store = app.fuzheng.files
            let data = Data("公开文件 %PDF-1.7 \u{0}\u{1}".utf8)
            let digest = try await store.put(data)
            #expect(digest == SM3.hash(data).hexString)
            #expect(try await store.put(data) == digest)
            #expect(try await store.get(digest) == data)
            #expect(try store.allDigests() == [digest])
            let folder = store.path(of: digest).deletingLastPathComponent().path
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1, "a temporary file was left")
            let mode = try FileManager.default.attributesOfItem(atPath: store.path(of: digest).path)[.posixPermissions]
            #expect((mode as? NSNumber)?.intValue == 0o600)
            await #expect(throws: FileStore.Missing.self) { try await store.get(String(repeating: "0", count: 64)) }
            // A damaged file is never served, and storing the same bytes again repairs it.
            try Data("damaged".utf8).write(to: store.path(of: digest))
            await #expect(throws: FileStore.Damaged.self) { try await store.get(digest) }
            #expect(try await store.put(data) == digest)
            #expect(try await store.get(digest) == data)
            await #expect(throws: FileStore.Missing.self) { try await store.get("../../etc/passwd") }
        }
    }

    @Test("a published version's PDF, once stored, is served from the file store without printing")
    func pdfFromStore() async throws {
        try await withFuzhengApp { app, _ in
            let version = try #require(try await DisclosureVersionModel.query(on: app.db).first())
            let pdf = Data("%PDF-1.7 cached for the test".utf8)
            let digest = try await app.fuzheng.files.put(pdf)
            try await StoredFiles.record(
                StoredFileModel(kind: StoredFiles.disclosurePDF, key: version.requireID().uuidString, digest: digest,
                                byteCount: pdf.count, mediaType: "application/pdf", createdAt: Date()), on: app.db)
            let unit = try await UnitModel.find(version.$unit.id, on: app.db)
            let path = SiteRoute.disclosureDownload(code: unit?.code ?? "", year: version.fiscalYear,
                                                    version: version.version, format: "pdf").path
            let response = try await app.testing().sendRequest(.GET, path)
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "pdf")
            #expect(Data(buffer: response.body) == pdf)
        }
    }
}

@Suite("The job scheduler")
struct JobSchedulerTests {
    static func countingJob(_ counter: NIOLockedValueBox<Int>, every minutes: Int = 15) -> ScheduledJob {
        ScheduledJob(name: "test-count", schedule: .everyMinutes(minutes)) { _, _ in
            counter.withLockedValue { $0 += 1 }
            try await Task.sleep(for: .milliseconds(50))
            return "counted"
        }
    }

    @Test("a due job runs once; run again at the same time, or twice at once, it does nothing more")
    func idempotent() async throws {
        try await withFuzhengApp(demo: false) { app, clock in
            let counter = NIOLockedValueBox(0)
            app.fuzheng.jobs.register(Self.countingJob(counter))
            let now = clock.now
            async let a = JobRunner.runDue(app, now: now, only: "test-count")
            async let b = JobRunner.runDue(app, now: now, only: "test-count")
            let ran = try await (a + b).filter(\.ran)
            #expect(ran.count == 1)
            #expect(counter.withLockedValue { $0 } == 1)
            _ = try await JobRunner.runDue(app, now: now, only: "test-count")
            #expect(counter.withLockedValue { $0 } == 1)
            clock.advance(by: 15 * 60)
            _ = try await JobRunner.runDue(app, now: clock.now, only: "test-count")
            #expect(counter.withLockedValue { $0 } == 2)
            let status = try await JobRunner.status(on: app.db).first { $0.name == "test-count" }
            #expect(status?.runs == 2)
            #expect(status?.lastOk == true)
            #expect(status?.lastResult == "counted")
        }
    }

    @Test("a run whose runner died holds the job only until its lease ends")
    func leaseExpires() async throws {
        try await withFuzhengApp(demo: false) { app, clock in
            let counter = NIOLockedValueBox(0)
            app.fuzheng.jobs.register(Self.countingJob(counter))
            let sql = try #require(app.db as? any SQLDatabase)
            let now = JobRunner.millis(clock.now)
            try await sql.raw("""
                INSERT INTO scheduled_jobs (name, next_due_ms, lease_until_ms, runs)
                VALUES ('test-count', \(bind: now - 1000), \(bind: now + 60_000), 0)
                """).run()
            _ = try await JobRunner.runDue(app, now: clock.now, only: "test-count")
            #expect(counter.withLockedValue { $0 } == 0, "ran while another runner held the lease")
            clock.advance(by: 3600)
            _ = try await JobRunner.runDue(app, now: clock.now, only: "test-count")
            #expect(counter.withLockedValue { $0 } == 1)
        }
    }

    @Test("a failing job is recorded as failed and still scheduled again")
    func failure() async throws {
        try await withFuzhengApp(demo: false) { app, clock in
            struct Boom: Error {}
            app.fuzheng.jobs.register(ScheduledJob(name: "test-fail", schedule: .everyMinutes(1)) { _, _ in throw Boom() })
            let outcome = try await JobRunner.runDue(app, now: clock.now, only: "test-fail")
            #expect(outcome.first?.ok == false)
            let status = try await JobRunner.status(on: app.db).first { $0.name == "test-fail" }
            #expect(status?.lastOk == false)
            #expect((status?.nextDueMs ?? 0) > JobRunner.millis(clock.now))
        }
    }

    @Test("the fake clock is honoured only with FUZHENG_ENV=test")
    func fakeClock() throws {
        #expect(throws: AppConfig.Error.self) {
            _ = try AppClock.fromEnvironment(["FUZHENG_FAKE_NOW": "2027-01-31T23:59:00Z"])
        }
        #expect(throws: AppConfig.Error.self) {
            _ = try AppClock.fromEnvironment(["FUZHENG_FAKE_NOW": "tomorrow", "FUZHENG_ENV": "test"])
        }
        let clock = try AppClock.fromEnvironment(["FUZHENG_FAKE_NOW": "2027-01-31T23:59:00Z", "FUZHENG_ENV": "test"])
        let now = clock.now().timeIntervalSince1970
        #expect(now >= 1_801_439_940 && now < 1_801_439_940 + 60)
        #expect(abs(try AppClock.fromEnvironment([:]).now().timeIntervalSinceNow) < 5)
    }
}

@Suite("Availability and the incident register")
struct AvailabilityTests {
    @Test("the probe records a minute once; the month's rate counts minutes without a record as down")
    func probeAndRate() async throws {
        try await withFuzhengApp(demo: false) { app, clock in
            let base = AvailabilitySummary.minute(clock.now)
            for m in 0..<10 {
                try await AvailabilityProbe.record(minute: base + Int64(m), ok: m != 3, latencyMillis: 4, detail: "HTTP 200",
                                                   on: app.db)
            }
            try await AvailabilityProbe.record(minute: base, ok: false, latencyMillis: 1, detail: "again", on: app.db)
            clock.advance(by: 20 * 60)
            let parts = AvailabilityMonth.calendar.dateComponents([.year, .month], from: clock.now)
            let month = try await AvailabilityMonth.query(on: app.db, year: parts.year!, month: parts.month!,
                                                          now: clock.now)
            // 20 minutes observed since the first probe: 9 up, 1 probed down, 10 without a record.
            #expect(month.summary.minutesObserved == 20)
            #expect(month.summary.minutesUp == 9)
            #expect(month.summary.ratePPM == 450_000)
        }
    }

    @Test("the demo's three days of probes show the 37-minute outage and its incident, recovered within 24 h")
    func demoHistory() async throws {
        try await withFuzhengApp { app, clock in
            try await DemoOperations.load(app)
            let sql = try #require(app.db as? any SQLDatabase)
            struct Count: Decodable { var n: Int }
            let down = try await sql.raw("SELECT count(*) AS n FROM availability_probes WHERE ok = \(bind: false)")
                .first(decoding: Count.self)
            #expect(down?.n == 37)
            let incident = try #require(try await IncidentModel.query(on: app.db).first())
            #expect(incident.recovery.seconds == 37 * 60)
            let admin = Browser(app)
            try await admin.login("secadmin")
            let parts = AvailabilityMonth.calendar.dateComponents([.year, .month], from: incident.startedAt)
            let page = try await admin.get(SiteRoute.availability.path
                + String(format: "?month=%04d-%02d", parts.year!, parts.month!))
            #expect(page.status == .ok)
            #expect(page.text.contains("数据库文件损坏（演示）"))
            #expect(page.text.contains("0 小时 37 分"))
            _ = clock
        }
    }

    @Test("the 安全管理员 records and edits incidents; a stale second tab is refused; others cannot see the page")
    func incidents() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("secadmin")
            #expect(try await admin.get(SiteRoute.availability.path).status == .ok)
            let bad = try await admin.post(SiteRoute.incidentNew.path, ["startedAt": "yesterday", "kind": "virus"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("2026-12-03 08:30"))
            let hostile = "<script>alert(1)</script>\"'&"
            let created = try await admin.post(SiteRoute.incidentNew.path, [
                "startedAt": "2026-12-01 08:00", "endedAt": "2026-12-01 20:30", "kind": "database_corruption",
                "title": hostile, "cause": "磁盘故障", "measures": "从备份恢复", "backupRef": "fuzheng-20261201T000000Z",
            ])
            #expect(created.status == .seeOther)
            let incident = try #require(try await IncidentModel.query(on: app.db).first())
            #expect(incident.title == hostile)
            #expect(incident.recovery.seconds == 12 * 3600 + 30 * 60)
            #expect(incident.recovery.withinTarget == true)
            let page = try await admin.get(SiteRoute.availability.path + "?month=2026-12")
            #expect(page.text.contains("12 小时 30 分"))
            #expect(!page.text.contains("<script>alert(1)"))
            let edit = SiteRoute.incidentEdit(id: try incident.requireID().uuidString).path
            var form = ["startedAt": "2026-12-01 08:00", "endedAt": "2026-12-02 09:00", "kind": "database_corruption",
                        "title": "数据库损坏", "cause": "磁盘故障", "measures": "从备份恢复", "backupRef": "", "version": "1"]
            #expect(try await admin.post(edit, form).status == .seeOther)
            form["title"] = "second tab"
            let stale = try await admin.post(edit, form)
            #expect(stale.status == .unprocessableEntity)
            let saved = try #require(try await IncidentModel.find(incident.requireID(), on: app.db))
            #expect(saved.title == "数据库损坏")
            #expect(saved.version == 2)
            #expect(saved.recovery.withinTarget == false)
            let audit = try await auditRecords(app).filter { $0.objectType == "incident" }
            #expect(audit.count == 2)
            #expect(audit.last?.summary?.contains("second tab") == false)
            let clerk = Browser(app)
            try await clerk.login("caiwu")
            #expect(try await clerk.get(SiteRoute.availability.path).status == .forbidden)
        }
    }
}
