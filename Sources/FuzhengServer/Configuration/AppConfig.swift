import Foundation
import FuzhengCore
import NIOCore

/// Every setting comes from the environment (README lists them); a malformed value stops start-up
/// with a message naming the variable and the form it expects.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        /// `schema` isolates a test run inside a shared PostgreSQL database.
        case postgres(url: String, schema: String?)

        public var kindName: String {
            switch self {
            case .sqliteFile, .sqliteMemory: "sqlite"
            case .postgres: "postgresql"
            }
        }
    }

    public var database: DatabaseChoice
    public var dataDirectory: String
    /// Demo accounts keep their published password only in demo mode.
    public var demoMode: Bool
    public var lockout: LockoutPolicy
    public var session: SessionPolicy
    public var passwordPolicy: PasswordPolicy
    public var bcryptCost: Int
    /// Marks the session cookie Secure; set when a TLS proxy fronts the platform.
    public var secureCookies: Bool
    /// The reverse proxies (addresses or IPv4 CIDR blocks) whose X-Forwarded-For entries are believed;
    /// empty: the socket address is the client's.
    public var trustedProxies: [String]
    public var loginThrottle: LoginThrottle.Limits
    /// Password checks running or waiting at once; beyond them a login gets 503 "try again in a few seconds".
    public var passwordChecksQueued: Int = 6 * System.coreCount
    /// 财政审核 and 财政批复 by different people (FUZHENG_SEPARATE_DUTIES).
    public var separateDuties = true
    /// The SM4 master key for secrets at rest (32 bytes), from FUZHENG_SECRET_KEY or the file
    /// FUZHENG_SECRET_KEY_FILE names; never kept in the data folder, so backups of it do not hold it.
    public var secretKey: [UInt8]?
    /// Roles that must log in with a second factor (the three administrators always do).
    public var twoFactorRoles: Set<Role>
    public var defaultLanguage: Language
    /// The file store (PDF cache, attachments, seals, archive packages); by default `files` in the data folder.
    public var filesDirectory: String?
    /// Chromium processes printing PDFs at once, and requests allowed to wait for one.
    public var pdfWorkers: Int = 2
    public var pdfQueue: Int = 8

    public var filesPath: String { filesDirectory ?? dataDirectory + "/files" }
    /// Backups: where, how often (the RPO), how many kept.
    public var backupDirectory = "./backups"
    public var backupEveryMinutes = 15
    public var backupKeep = 24
    /// The server runs due jobs itself (instead of a timer or cron calling `fuzheng jobs run`).
    public var jobsInProcess = false
    /// What the availability probe asks: the platform's own readiness, database round trip included.
    public var probeURL = "http://127.0.0.1:8080/readyz"
    /// Audit records are kept online this long (网络安全法: at least 6 months), then archived to files.
    public var auditOnlineDays = 190
    /// How long a session and its user, as read, serve this server's next requests (0: read every time).
    public var sessionCacheMilliseconds = 1000
    /// The SMTP relay reminders go out through (nil: in-app inbox only).
    public var smtpHost: String?
    public var smtpPort = 25
    public var smtpFrom = "fuzheng@localhost.localdomain"

    public init(
        database: DatabaseChoice = .sqliteMemory, dataDirectory: String = "./data", demoMode: Bool = true,
        lockout: LockoutPolicy = .init(), session: SessionPolicy = .init(), passwordPolicy: PasswordPolicy = .level3,
        bcryptCost: Int = 11, secureCookies: Bool = false, trustedProxies: [String] = [],
        loginThrottle: LoginThrottle.Limits = .init(), secretKey: [UInt8]? = nil,
        twoFactorRoles: Set<Role> = [.systemAdmin, .securityAdmin, .auditAdmin], defaultLanguage: Language = .zh
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.demoMode = demoMode
        self.lockout = lockout
        self.session = session
        self.passwordPolicy = passwordPolicy
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.trustedProxies = trustedProxies
        self.loginThrottle = loginThrottle
        self.secretKey = secretKey
        self.twoFactorRoles = twoFactorRoles
        self.defaultLanguage = defaultLanguage
    }

    public struct Error: Swift.Error, CustomStringConvertible {
        public var variable: String
        public var value: String
        public var expected: String
        public var description: String {
            "环境变量 \(variable)=\"\(value)\" 无效，应为\(expected)。 / Environment variable \(variable)=\"\(value)\" is invalid: expected \(expected)."
        }
    }

    /// The documented variables and their defaults, in README order.
    public static let documentedVariables: [(name: String, defaultValue: String, meaning: String)] = [
        ("DATABASE_URL", "(unset: SQLite)", "postgres://user:pass@host:5432/db — use PostgreSQL instead of SQLite"),
        ("FUZHENG_DATA_DIR", "./data", "folder of the SQLite file fuzheng.sqlite"),
        ("FUZHENG_DEMO_MODE", "true", "demo accounts keep their published password; false forces a change at first login"),
        ("FUZHENG_SESSION_IDLE_MINUTES", "30", "idle session timeout"),
        ("FUZHENG_PASSWORD_MAX_AGE_DAYS", "90", "password expiry"),
        ("FUZHENG_LOCKOUT_THRESHOLD", "5", "consecutive failed logins before lockout"),
        ("FUZHENG_LOCKOUT_MINUTES", "15", "lockout duration"),
        ("FUZHENG_BCRYPT_COST", "11", "bcrypt work factor (4–31)"),
        ("FUZHENG_SECURE_COOKIES", "false", "mark the session cookie Secure (set behind a TLS proxy)"),
        ("FUZHENG_TRUST_PROXY", "(none)", "comma-separated proxy addresses or IPv4 CIDR blocks whose X-Forwarded-For is believed"),
        ("FUZHENG_LOGIN_LIMIT_ACCOUNT", "10", "login attempts per address and username in 5 minutes"),
        ("FUZHENG_LOGIN_LIMIT_ADDRESS", "3000", "login attempts per address in 5 minutes"),
        ("FUZHENG_LOGIN_QUEUE", "6 × cores", "password checks running or waiting at once; more get 503 and retry"),
        ("FUZHENG_SECRET_KEY", "(none)", "SM4 master key for secrets at rest: 64 hex digits or base64 of 32 bytes"),
        ("FUZHENG_SECRET_KEY_FILE", "(none)", "a file holding that key, instead of the variable"),
        ("FUZHENG_2FA_ROLES", "(administrators)", "further roles that must use a second factor, comma-separated"),
        ("FUZHENG_DEFAULT_LANGUAGE", "zh", "zh or en"),
        ("FUZHENG_FILES_DIR", "(data folder)/files", "the file store: cached PDFs, attachments, seals, archive packages"),
        ("FUZHENG_PDF_WORKERS", "2", "Chromium processes printing PDFs at once"),
        ("FUZHENG_PDF_QUEUE", "8", "PDF requests waiting for a worker (30 s at most); more are told to retry (503)"),
        ("FUZHENG_BACKUP_DIR", "./backups", "where `fuzheng backup` and the backup job write (folders 0700, files 0600)"),
        ("FUZHENG_BACKUP_EVERY_MINUTES", "15", "how often the backup job runs: the recovery point objective"),
        ("FUZHENG_BACKUP_KEEP", "24", "backups kept; older ones are deleted after a new one is complete"),
        ("FUZHENG_JOBS_IN_PROCESS", "false", "true: the server runs due jobs itself every 30 s (else a timer runs `fuzheng jobs run`)"),
        ("FUZHENG_PROBE_URL", "http://127.0.0.1:8080/readyz", "what the availability probe job asks every minute"),
        ("FUZHENG_SESSION_CACHE_MS", "1000", "how long another app server may take to see a logout or deactivation made elsewhere (0: none)"),
        ("FUZHENG_SEPARATE_DUTIES", "true", "财政审核 and 财政批复 must be taken by two different people"),
        ("FUZHENG_AUDIT_ONLINE_DAYS", "190", "audit records kept in the database (at least 183); older ones are archived to files"),
        ("FUZHENG_SMTP_HOST", "(none)", "SMTP relay for reminders by e-mail (plain SMTP inside the network); unset: inbox only"),
        ("FUZHENG_SMTP_PORT", "25", "its port"),
        ("FUZHENG_SMTP_FROM", "fuzheng@localhost.localdomain", "the sender address of those e-mails"),
        ("LOG_LEVEL", "info", "trace, debug, info, notice, warning, error, critical"),
    ]

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var config = AppConfig()
        config.dataDirectory = env["FUZHENG_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw Error(variable: "DATABASE_URL", value: url, expected: "postgres://user:password@host:port/database")
            }
            config.database = .postgres(url: url, schema: nil)
        } else {
            config.database = .sqliteFile(path: config.dataDirectory + "/fuzheng.sqlite")
        }
        config.demoMode = try bool(env, "FUZHENG_DEMO_MODE", default: true)
        let idle = try int(env, "FUZHENG_SESSION_IDLE_MINUTES", default: 30, range: 1...1440)
        let maxAge = try int(env, "FUZHENG_PASSWORD_MAX_AGE_DAYS", default: 90, range: 1...3650)
        config.session = SessionPolicy(idleTimeout: TimeInterval(idle * 60), passwordMaximumAge: TimeInterval(maxAge * 86_400))
        let threshold = try int(env, "FUZHENG_LOCKOUT_THRESHOLD", default: 5, range: 1...100)
        let minutes = try int(env, "FUZHENG_LOCKOUT_MINUTES", default: 15, range: 1...1440)
        config.lockout = LockoutPolicy(maximumFailures: threshold, lockoutDuration: TimeInterval(minutes * 60))
        config.bcryptCost = try int(env, "FUZHENG_BCRYPT_COST", default: 11, range: 4...31)
        config.secureCookies = try bool(env, "FUZHENG_SECURE_COOKIES", default: false)
        let proxies = env["FUZHENG_TRUST_PROXY"] ?? ""
        guard let trusted = ClientAddress.parseProxies(proxies) else {
            throw Error(variable: "FUZHENG_TRUST_PROXY", value: proxies,
                        expected: "以逗号分隔的代理地址或 IPv4 网段，如 10.0.0.5,172.16.0.0/12 / "
                            + "comma-separated proxy addresses or IPv4 CIDR blocks, e.g. 10.0.0.5,172.16.0.0/12")
        }
        config.trustedProxies = trusted
        config.loginThrottle = LoginThrottle.Limits(
            perAccount: try int(env, "FUZHENG_LOGIN_LIMIT_ACCOUNT", default: 10, range: 1...10_000),
            perAddress: try int(env, "FUZHENG_LOGIN_LIMIT_ADDRESS", default: 3_000, range: 1...1_000_000))
        config.passwordChecksQueued = try int(env, "FUZHENG_LOGIN_QUEUE", default: 6 * System.coreCount, range: 1...10_000)
        config.secretKey = try secretKey(env)
        config.filesDirectory = env["FUZHENG_FILES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        config.pdfWorkers = try int(env, "FUZHENG_PDF_WORKERS", default: 2, range: 1...64)
        config.pdfQueue = try int(env, "FUZHENG_PDF_QUEUE", default: 8, range: 0...10_000)
        config.backupDirectory = env["FUZHENG_BACKUP_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./backups"
        config.backupEveryMinutes = try int(env, "FUZHENG_BACKUP_EVERY_MINUTES", default: 15, range: 1...10_080)
        config.backupKeep = try int(env, "FUZHENG_BACKUP_KEEP", default: 24, range: 1...10_000)
        config.jobsInProcess = try bool(env, "FUZHENG_JOBS_IN_PROCESS", default: false)
        config.probeURL = env["FUZHENG_PROBE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8080/readyz"
        config.sessionCacheMilliseconds = try int(env, "FUZHENG_SESSION_CACHE_MS", default: 1000, range: 0...60_000)
        config.smtpHost = env["FUZHENG_SMTP_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        config.smtpPort = try int(env, "FUZHENG_SMTP_PORT", default: 25, range: 1...65_535)
        if let from = env["FUZHENG_SMTP_FROM"], !from.isEmpty {
            guard SMTPChannel.isAddress(from) else {
                throw Error(variable: "FUZHENG_SMTP_FROM", value: from, expected: "an address such as bgs@example.gov.cn")
            }
            config.smtpFrom = from
        }
        config.separateDuties = try bool(env, "FUZHENG_SEPARATE_DUTIES", default: true)
        config.auditOnlineDays = try int(env, "FUZHENG_AUDIT_ONLINE_DAYS", default: 190, range: 183...36_500)
        for raw in (env["FUZHENG_2FA_ROLES"] ?? "").split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let role = Role(rawValue: name) else {
                throw Error(variable: "FUZHENG_2FA_ROLES", value: env["FUZHENG_2FA_ROLES"] ?? "",
                            expected: "以逗号分隔的角色代码，如 unit_head,leader / comma-separated role codes, e.g. unit_head,leader")
            }
            config.twoFactorRoles.insert(role)
        }
        if let lang = env["FUZHENG_DEFAULT_LANGUAGE"], !lang.isEmpty {
            guard let parsed = Language(rawValue: lang) else {
                throw Error(variable: "FUZHENG_DEFAULT_LANGUAGE", value: lang, expected: "zh 或 en / zh or en")
            }
            config.defaultLanguage = parsed
        }
        return config
    }

    private static func secretKey(_ env: [String: String]) throws -> [UInt8]? {
        let expected = "64 位十六进制数或 32 字节的 base64 / 64 hex digits or base64 of 32 bytes"
        if let text = env["FUZHENG_SECRET_KEY"], !text.isEmpty {
            do { return try SecretBox.parseKey(text) } catch {
                throw Error(variable: "FUZHENG_SECRET_KEY", value: "（已隐去 / hidden）", expected: expected)
            }
        }
        guard let path = env["FUZHENG_SECRET_KEY_FILE"], !path.isEmpty else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Error(variable: "FUZHENG_SECRET_KEY_FILE", value: path, expected: "可读取的密钥文件 / a readable key file")
        }
        do { return try SecretBox.parseKey(text) } catch {
            throw Error(variable: "FUZHENG_SECRET_KEY_FILE", value: path, expected: "内容为" + expected)
        }
    }

    private static func int(_ env: [String: String], _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = env[name], !raw.isEmpty else { return value }
        guard let parsed = Int(raw), range.contains(parsed) else {
            throw Error(variable: name, value: raw, expected: "\(range.lowerBound)–\(range.upperBound) 的整数 / an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    private static func bool(_ env: [String: String], _ name: String, default value: Bool) throws -> Bool {
        guard let raw = env[name]?.lowercased(), !raw.isEmpty else { return value }
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw Error(variable: name, value: raw, expected: "true 或 false / true or false")
        }
    }
}
