import Fluent
import Foundation
import FuzhengCore
import Vapor

/// Bringing people (and new units) into a running platform: upload an XLSX or CSV → a preview of what will be
/// created and changed, every refused cell named → confirm. The file waits in the file store under its SM3 digest
/// between the two steps; the confirmation plans again inside the transaction and applies only if the plan is the
/// one previewed (its fingerprint), so nothing is half-saved and nothing unseen is applied. New accounts get a
/// generated first password, handed out once — on the result page or as a CSV download — and changed at first login.
enum PeopleImportController {
    static let maxUploadBytes = 5 << 20

    struct UploadModel: Sendable {
        var problems: [WorkbookProblem] = []
        var error: String?
        var flash: String?
    }

    struct PreviewModel: Sendable {
        var fileName: String
        var digest: String
        var plan: PeoplePlan
        var unitNames: [String: String]
        var sectionNames: [String: String]
    }

    /// Who was created, with the password shown this once.
    struct ResultModel: Sendable {
        var created: [(username: String, displayName: String, unitCode: String, password: String)]
        var updated: Int
        var units: Int
    }

    /// The organisation as it stands, for planning.
    static func context(on db: Database) async throws -> PeopleImport.Context {
        let users = try await UserModel.query(on: db).with(\.$unit).all()
        let units = try await UnitModel.query(on: db).with(\.$department).all()
        let departments = try await DepartmentModel.query(on: db).all(\.$code)
        return PeopleImport.Context(
            people: users.map { u in
                PersonRecord(username: u.username, displayName: u.displayName, unitCode: u.unit.code,
                             sectionCode: u.sectionCode, title: u.title ?? "", assignments: u.assignments,
                             isActive: u.isActive)
            },
            units: units.map { UnitRecord(code: $0.code, name: $0.name, departmentCode: $0.department.code,
                                          nature: $0.nature, grade: $0.grade, fundingForm: $0.fundingForm) },
            departments: Set(departments), sections: try await UserAdminController.sections(db))
    }

    static func show(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        return PeopleImportView.upload(req.pageContext(), UploadModel(flash: req.takeFlash()))
    }

    /// The sheet to fill in: both sheets' headings and an example row.
    static func template(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: WorkbookController.mediaType)
        headers.contentDisposition = .init(.attachment, filename: "people-import-template.xlsx")
        return Response(status: .ok, headers: headers, body: .init(data: PeopleImport.template))
    }

    static func plan(req: Request, fileName: String, data: Data) async throws -> Result<PeoplePlan, WorkbookProblem> {
        let context = try await context(on: req.db)
        // Expanding a workbook and checking thousands of rows is CPU work: off the event loop.
        return try await req.application.threadPool.runIfActive {
            PeopleImport.tables(fileName: fileName, data: data).map { PeopleImport.plan($0, against: context) }
        }
    }

    static func upload(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let l = req.l10n
        guard let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 else {
            return PeopleImportView.upload(req.pageContext(), UploadModel(error: l("workbook.error.noFile")),
                                           status: .unprocessableEntity)
        }
        guard file.data.readableBytes <= maxUploadBytes else {
            return PeopleImportView.upload(req.pageContext(), UploadModel(error: l("workbook.error.tooLarge",
                                           String(maxUploadBytes >> 20))), status: .payloadTooLarge)
        }
        let data = Data(buffer: file.data)
        let fileName = String(file.filename.prefix(120))
        switch try await plan(req: req, fileName: fileName, data: data) {
        case .failure(let problem):
            return PeopleImportView.upload(req.pageContext(), UploadModel(problems: [problem]),
                                           status: .unprocessableEntity)
        case .success(let plan):
            let digest = try await req.files.put(data)
            return try await preview(req, fileName: fileName, digest: digest, plan: plan)
        }
    }

    static func preview(_ req: Request, fileName: String, digest: String, plan: PeoplePlan) async throws -> Response {
        let units = try await UnitModel.query(on: req.db).all()
        var names = Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        for (unit, _) in plan.units { names[unit.code] = unit.name }
        return PeopleImportView.preview(req.pageContext(), PreviewModel(
            fileName: fileName, digest: digest, plan: plan, unitNames: names,
            sectionNames: try await UserAdminController.sections(req.db)),
            status: plan.problems.isEmpty ? .ok : .unprocessableEntity)
    }

    struct ConfirmForm: Content {
        var digest: String?
        var fileName: String?
        var fingerprint: String?
        /// "page" or "csv": how the first passwords are handed out.
        var deliver: String?
    }

    struct PlanChanged: Error {}

    static func confirm(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let form = try req.content.decode(ConfirmForm.self)
        let back = SiteRoute.adminUsersImport.path
        guard let digest = form.digest, FileStore.isDigest(digest), let data = try? await req.files.get(digest) else {
            req.setFlash("workbook.expired", error: true)
            return req.redirect(within: back)
        }
        let fileName = String((form.fileName ?? "upload").prefix(120))
        guard case .success(let previewed) = try await plan(req: req, fileName: fileName, data: data),
              previewed.problems.isEmpty, previewed.fingerprint == form.fingerprint else {
            req.setFlash("import.people.changed", error: true)
            return req.redirect(within: back)
        }
        // Hashed before the transaction (bcrypt is slow, the audit lock is shared), in parallel on the password pool.
        let passwords = Dictionary(uniqueKeysWithValues: previewed.creates.map { ($0.username,
            InitialPassword.make()) })
        let hashes = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for (username, password) in passwords {
                group.addTask { (username, try await req.passwords.hashInitial(password)) }
            }
            var out: [String: String] = [:]
            for try await (username, hash) in group { out[username] = hash }
            return out
        }
        let now = req.now
        do {
            try await req.audited { tx, audit in
                // Planned again inside the transaction: what is applied is exactly what was previewed.
                let context = try await context(on: tx)
                guard case .success(let sheets) = PeopleImport.tables(fileName: fileName, data: data) else {
                    throw PlanChanged()
                }
                let plan = PeopleImport.plan(sheets, against: context)
                guard plan.problems.isEmpty, plan.fingerprint == previewed.fingerprint else { throw PlanChanged() }
                try await apply(plan, hashes: hashes, fileDigest: digest, now: now, on: tx, audit: audit)
            }
        } catch is PlanChanged {
            req.setFlash("import.people.changed", error: true)
            return req.redirect(within: back)
        } catch is UserAdminController.LastAdministrator {
            req.setFlash("user.error.lastAdministrator", error: true)
            return req.redirect(within: back)
        }
        let created = previewed.creates.map { p in
            (username: p.username, displayName: p.displayName, unitCode: p.unitCode,
                password: passwords[p.username] ?? "")
        }
        let result = ResultModel(created: created, updated: previewed.updates.count, units: previewed.units.count)
        if form.deliver == "csv" { return csv(result) }
        return PeopleImportView.result(req.pageContext(), result)
    }

    static func apply(_ plan: PeoplePlan, hashes: [String: String], fileDigest: String, now: Date, on tx: Database,
                      audit: AuditRecorder) async throws {
        let departments = try await DepartmentModel.query(on: tx).all()
        for (unit, isNew) in plan.units {
            guard let department = departments.first(where: { $0.code == unit.departmentCode }) else {
                throw PlanChanged()
            }
            if isNew {
                let model = UnitModel(code: unit.code, name: unit.name, departmentID: try department.requireID(),
                                      nature: unit.nature, grade: unit.grade, fundingForm: unit.fundingForm,
                                      duties: "", setup: "")
                try await model.create(on: tx)
                audit.add(AuditEvent(.create, objectType: "unit", objectID: unit.code,
                                     summary: "import (file sm3 \(fileDigest)): \(model.auditSummary)"))
            } else if let model = try await UnitModel.query(on: tx).filter(\.$code == unit.code).first() {
                let before = model.auditSummary
                model.name = unit.name
                model.nature = unit.nature
                model.grade = unit.grade
                model.fundingForm = unit.fundingForm
                model.$department.id = try department.requireID()
                try await model.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "unit", objectID: unit.code,
                                     summary: "import (file sm3 \(fileDigest)): before: \(before) | after: \(model.auditSummary)"))
            }
        }
        let unitIDs = Dictionary(try await UnitModel.query(on: tx).all().map { ($0.code, try $0.requireID()) },
                                 uniquingKeysWith: { a, _ in a })
        for person in plan.creates {
            guard let unitID = unitIDs[person.unitCode], let hash = hashes[person.username],
                  let main = person.assignments.first?.role else { throw PlanChanged() }
            let user = UserModel(username: person.username, displayName: person.displayName, passwordHash: hash,
                                 role: main, unitID: unitID, mustChangePassword: true, passwordChangedAt: nil)
            user.assignments = person.assignments
            user.title = person.title.isEmpty ? nil : person.title
            user.sectionCode = person.sectionCode
            try await user.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "user", objectID: person.username,
                                 summary: "import (file sm3 \(fileDigest)): after: \(user.auditSummary); unit=\(person.unitCode)"))
        }
        // One read for every changed person, not one per row.
        let changed = try await UserModel.query(on: tx).filter(\.$username ~~ plan.updates.map(\.before.username))
            .with(\.$unit).all()
        let byUsername = Dictionary(changed.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
        for (before, after, changes) in plan.updates {
            guard let user = byUsername[before.username],
                  let unitID = unitIDs[after.unitCode] else { throw PlanChanged() }
            try await UserAdminController.ensureAdministratorRemains(
                user, newRole: after.assignments.first?.role, newActive: after.isActive, on: tx)
            user.displayName = after.displayName
            user.$unit.id = unitID
            user.assignments = after.assignments
            user.title = after.title.isEmpty ? nil : after.title
            user.sectionCode = after.sectionCode
            user.isActive = after.isActive
            try await user.save(on: tx)
            audit.add(AuditEvent(.update, objectType: "user", objectID: before.username,
                                 summary: "import (file sm3 \(fileDigest)): \(changes.joined(separator: "；"))"))
        }
    }

    /// The first passwords as a CSV, this once (nothing keeps them).
    static func csv(_ result: ResultModel) -> Response {
        let text = csvText(result)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.contentDisposition = .init(.attachment, filename: "initial-passwords.csv")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func csvText(_ result: ResultModel) -> String {
        var text = "\u{FEFF}用户名,姓名,单位代码,初始密码\r\n"
        for c in result.created {
            text += [c.username, c.displayName, c.unitCode, c.password].map(csvField).joined(separator: ",") + "\r\n"
        }
        return text
    }

    /// Quoted, and a leading = + - @ made harmless for spreadsheets.
    static func csvField(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@".contains(first) { v = "'" + v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A generated first password: 14 characters from letters and digits that cannot be misread (no 0/O, 1/l/I),
/// with every class the password policy asks for.
enum InitialPassword {
    static let lower = Array("abcdefghijkmnpqrstuvwxyz"), upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let digits = Array("23456789"), symbols = Array("#%+=?@")

    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let all = lower + upper + digits + symbols
        while true {
            var chars = [lower.randomElement(using: &rng)!, upper.randomElement(using: &rng)!,
                         digits.randomElement(using: &rng)!, symbols.randomElement(using: &rng)!]
            while chars.count < 14 { chars.append(all.randomElement(using: &rng)!) }
            chars.shuffle(using: &rng)
            let candidate = String(chars)
            if PasswordPolicy.level3.violations(for: candidate).isEmpty { return candidate }
        }
    }
}
