import Foundation
import FuzhengCore
import Vapor

/// The platform's injected dependencies, reachable from every request as `req.application.fuzheng`.
public struct FuzhengServices: Sendable {
    public var config: AppConfig
    public var clock: AppClock
    public var audit: AuditLog
    public var passwords: any PasswordHashing
    var dummyPassword: DummyPasswordHash
    var loginThrottle: LoginThrottleBox
    var passwordGate: PasswordCheckGate
    /// Seals secrets at rest (TOTP secrets now); nil only outside demo mode without a key, where `serve` refuses
    /// to start.
    public var secretBox: SecretBox?
    var disclosureCache = DisclosureRenderCache()
    var sessionWrites = SessionWriteCounter()
    var budgetPageCache = BudgetPageCache()
    var printsInFlight = PrintsInFlight()
    public var files: FileStore
    var pdfWorkers: PDFWorkers
    var sessionCache: SessionCache
    var budgetHeads: RecentReads<BudgetPageHead>
    public var jobs = JobRegistry()
    var taskSources = TaskSourceRegistry()
    /// The working calendar in force (shipped notices and those the 系统管理员 entered).
    var calendars = CalendarStore()
    var supervisionFigures = SupervisionFiguresCache()
    var executionCounty = GenerationCache<ExecutionCountyFigures>(CacheGenerations.execution)
}

extension Application {
    private struct ServicesKey: StorageKey {
        typealias Value = FuzhengServices
    }

    public var fuzheng: FuzhengServices {
        get {
            guard let services = storage[ServicesKey.self] else {
                fatalError("configure(_:config:) has not run: FuzhengServices are missing")
            }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    public var now: Date { application.fuzheng.clock.now() }
}
