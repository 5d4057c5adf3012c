import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 满意度问卷: a unit's questionnaire on the national five-level scale, sent to platform users (one answer each) and
/// answered anonymously — an answer row holds the question and the level, never who gave it or when; the invitation
/// only says whether its person has answered, and is claimed in the same transaction that stores the answers.
final class SurveyModel: Model, @unchecked Sendable {
    static let schema = "surveys"
    @ID(key: .id) var id: UUID?
    @Field(key: "owner_unit") var ownerUnit: String
    @Field(key: "title") var title: String
    /// One question per line.
    @Field(key: "questions") var questions: String
    @Field(key: "formula") var formula: String
    @Field(key: "status") var status: String
    @Field(key: "invited") var invited: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    init() {}

    var questionList: [String] { questions.split(separator: "\n").map(String.init) }
    var formulaValue: SurveyRateFormula { SurveyRateFormula(rawValue: formula) ?? .topThree }
}

struct M031CreateSurveys: AsyncMigration {
    var name: String { "M031CreateSurveys" }

    func prepare(on database: Database) async throws {
        try await database.schema(SurveyModel.schema)
            .id()
            .field("owner_unit", .string, .required)
            .field("title", .string, .required)
            .field("questions", .string, .required)
            .field("formula", .string, .required)
            .field("status", .string, .required)
            .field("invited", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .create()
        try await database.schema("survey_invitations")
            .field("survey_id", .uuid, .required, .references(SurveyModel.schema, .id))
            .field("username", .string, .required)
            .field("answered", .bool, .required)
            .unique(on: "survey_id", "username")
            .create()
        // No user, no time: the answers cannot be joined to the people who gave them.
        try await database.schema("survey_answers")
            .field("survey_id", .uuid, .required, .references(SurveyModel.schema, .id))
            .field("question", .int, .required)
            .field("level", .string, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema("survey_answers").delete()
        try await database.schema("survey_invitations").delete()
        try await database.schema(SurveyModel.schema).delete()
    }
}

/// Single-use links for people outside the platform: only the SM3 of each token is kept, and a token is spent in
/// the write that stores its answers.
struct M032SurveyTokens: AsyncMigration {
    var name: String { "M032SurveyTokens" }

    func prepare(on database: Database) async throws {
        try await database.schema("survey_tokens")
            .field("survey_id", .uuid, .required, .references(SurveyModel.schema, .id))
            .field("token_hash", .string, .required)
            .field("used", .bool, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema("survey_tokens").delete()
    }
}

enum Surveys {
    static func mayManage(_ p: Principal, unit: String) -> Bool {
        AccessPolicy.allows(p, .office(.manageSurveys, Target(unitCode: unit)))
    }

    struct Result: Sendable {
        var question: String
        var counts: [SurveyLevel: Int]
        var result: SurveyResult
    }

    /// Each question's counts and rate, with the formula of the survey and the number invited.
    static func results(_ s: SurveyModel, on db: Database) async throws -> [Result] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct Row: Decodable { var question: Int; var level: String; var n: Int }
        let rows = try await sql.raw("""
            SELECT question, level, COUNT(*) AS n FROM survey_answers WHERE survey_id = \(bind: s.requireID())
            GROUP BY question, level
            """).all(decoding: Row.self)
        return s.questionList.enumerated().map { i, q in
            var counts: [SurveyLevel: Int] = [:]
            for r in rows where r.question == i { if let l = SurveyLevel(rawValue: r.level) { counts[l] = r.n } }
            return Result(question: q, counts: counts,
                          result: SurveyResult.of(counts, formula: s.formulaValue, invited: s.invited))
        }
    }

    /// 使用人员满意度 for an indicator: the first question of the unit's latest closed survey.
    static func latestRate(unit: String, on db: Database) async throws -> (SurveyModel, SurveyResult)? {
        guard let s = try await SurveyModel.query(on: db).filter(\.$ownerUnit == unit).filter(\.$status == "closed")
            .sort(\.$closedAt, .descending).first(), let first = try await results(s, on: db).first else { return nil }
        return (s, first.result)
    }

    struct CreateForm: Content {
        var title: String?
        var questions: String?
        var formula: String?
        var units: [String]?
    }

    static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let mine = try await SurveyModel.query(on: req.db).filter(\.$ownerUnit == user.unitCode)
            .sort(\.$createdAt, .descending).limit(100).all()
        guard let sql = req.db as? SQLDatabase else { throw Abort(.internalServerError) }
        struct Waiting: Decodable { var survey_id: UUID }
        let waiting = try await sql.raw("""
            SELECT survey_id FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id
            WHERE i.username = \(bind: user.username) AND i.answered = \(bind: false) AND s.status = 'open'
            """).all(decoding: Waiting.self).map(\.survey_id)
        let toAnswer = try await SurveyModel.query(on: req.db).filter(\.$id ~~ waiting).all()
        return SurveysView.list(req.pageContext(), mine: mine, toAnswer: toAnswer,
                                canCreate: mayManage(user.principal, unit: user.unitCode),
                                units: try await UnitsMemo.all(on: req.db).filter(\.is_active).map { ($0.code, $0.name) },
                                flash: req.takeFlashWithKind())
    }

    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.require(.office(.manageSurveys, Target(unitCode: user.unitCode)))
        let form = try req.content.decode(CreateForm.self)
        let title = String((form.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let questions = (form.questions ?? "").split(whereSeparator: \.isNewline)
            .map { String($0.trimmingCharacters(in: .whitespaces).prefix(200)) }.filter { !$0.isEmpty }.prefix(20)
        let units = Set(form.units ?? [])
        guard !title.isEmpty, !questions.isEmpty, !units.isEmpty else {
            req.setFlash("survey.error.incomplete", error: true)
            return req.redirect(within: SiteRoute.surveys.path + "#new")
        }
        let now = req.now
        let survey = try await req.audited { tx, audit in
            let people = try await UserModel.query(on: tx).filter(\.$isActive == true).with(\.$unit).all()
                .filter { units.contains($0.unit.code) && !($0.role?.isAdministrator ?? true) }
            let s = SurveyModel()
            s.ownerUnit = user.unitCode
            s.title = title
            s.questions = questions.joined(separator: "\n")
            s.formula = (SurveyRateFormula(rawValue: form.formula ?? "") ?? .topThree).rawValue
            s.status = "open"
            s.invited = people.count
            s.createdBy = user.username
            s.createdAt = now
            try await s.create(on: tx)
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            for chunk in people.chunked(by: 300) {
                var insert = sql.insert(into: "survey_invitations").columns("survey_id", "username", "answered")
                for p in chunk { insert = insert.values(SQLBind(try s.requireID()), SQLBind(p.username), SQLBind(false)) }
                try await insert.run()
                for p in chunk {
                    try await Notifier.notify(userID: try p.requireID(), message: Message("survey.notify", title),
                                              link: SiteRoute.survey(id: try s.requireID().uuidString).path, at: now,
                                              on: tx)
                }
            }
            audit.add(AuditEvent(.create, objectType: "survey", objectID: s.id?.uuidString,
                                 summary: "满意度问卷 \(title)：\(questions.count) 题，邀请 \(people.count) 人"))
            return s
        }
        req.setFlash("survey.created")
        return req.redirect(within: SiteRoute.survey(id: try survey.requireID().uuidString).path)
    }

    static func find(_ req: Request) async throws -> SurveyModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let s = try await SurveyModel.find(id, on: req.db) else { throw Abort(.notFound) }
        return s
    }

    static func invitation(_ s: SurveyModel, _ username: String, on db: Database) async throws -> Bool? {
        guard let sql = db as? SQLDatabase else { return nil }
        struct I: Decodable { var answered: Bool }
        return try await sql.raw("""
            SELECT answered FROM survey_invitations WHERE survey_id = \(bind: s.requireID()) \
            AND username = \(bind: username)
            """).first(decoding: I.self)?.answered
    }

    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let s = try await find(req)
        let manages = mayManage(user.principal, unit: s.ownerUnit)
        let answered = try await invitation(s, user.username, on: req.db)
        guard manages || answered != nil else { throw Abort(.notFound) }
        let results = manages ? try await results(s, on: req.db) : []
        return SurveysView.show(req.pageContext(), s, results: results, manages: manages,
                                mayAnswer: answered == false && s.status == "open", flash: req.takeFlashWithKind())
    }

    static func answer(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let s = try await find(req)
        let id = try s.requireID()
        let path = SiteRoute.survey(id: id.uuidString).path
        guard s.status == "open", try await invitation(s, user.username, on: req.db) == false else {
            req.setFlash("survey.error.notOpen", error: true)
            return req.redirect(within: path)
        }
        let form = try req.content.decode([String: String].self)
        var levels: [(Int, SurveyLevel)] = []
        for i in s.questionList.indices {
            guard let level = form["q\(i)"].flatMap(SurveyLevel.init(rawValue:)) else {
                req.setFlash("survey.error.allQuestions", error: true)
                return req.redirect(within: path)
            }
            levels.append((i, level))
        }
        let username = user.username
        let answers = levels
        let stored = try await req.audited { tx, audit -> Bool in
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            // Claimed in the write: two tabs answering at once store one set of answers.
            let claimed = try await sql.update("survey_invitations").set("answered", to: true)
                .where("survey_id", .equal, id).where("username", .equal, username).where("answered", .equal, false)
                .returning("username").all()
            guard claimed.count == 1 else { return false }
            var insert = sql.insert(into: "survey_answers").columns("survey_id", "question", "level")
            for (q, level) in answers.shuffled() { insert = insert.values(SQLBind(id), SQLBind(q), SQLBind(level.rawValue)) }
            try await insert.run()
            // The audit trail says that someone answered, not what.
            audit.add(AuditEvent(.update, objectType: "survey", objectID: id.uuidString, summary: "问卷已作答"))
            return true
        }
        req.setFlash(stored ? "survey.thanks" : "survey.error.notOpen", error: !stored)
        return req.redirect(within: path)
    }

    static func close(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let s = try await find(req)
        try await req.require(.office(.manageSurveys, Target(unitCode: s.ownerUnit)))
        let now = req.now
        if s.status == "open" {
            try await req.audited { tx, audit in
                s.status = "closed"
                s.closedAt = now
                try await s.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "survey", objectID: s.id?.uuidString,
                                     summary: "问卷结束 \(s.title)（\(user.username)）"))
            }
        }
        req.setFlash("survey.closed")
        return req.redirect(within: SiteRoute.survey(id: try s.requireID().uuidString).path)
    }

    struct TokenForm: Content { var count: String? }

    /// Makes single-use public links; they are shown once and only their SM3 is kept.
    static func tokens(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let s = try await find(req)
        try await req.require(.office(.manageSurveys, Target(unitCode: s.ownerUnit)))
        let id = try s.requireID()
        guard s.status == "open", case .success(let count) = NumberInput.integer(
            try req.content.decode(TokenForm.self).count ?? "", range: 1...1_000) else {
            req.setFlash("survey.error.tokens", error: true)
            return req.redirect(within: SiteRoute.survey(id: id.uuidString).path)
        }
        let tokens = (0..<count).map { _ in
            (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
        }
        try await req.audited { tx, audit in
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            var insert = sql.insert(into: "survey_tokens").columns("survey_id", "token_hash", "used")
            for t in tokens { insert = insert.values(SQLBind(id), SQLBind(SM3.hexDigest(t)), SQLBind(false)) }
            try await insert.run()
            s.invited += count
            try await s.save(on: tx)
            audit.add(AuditEvent(.update, objectType: "survey", objectID: id.uuidString,
                                 summary: "问卷公开链接 \(count) 个（\(user.username)）"))
        }
        let base = req.headers.first(name: .host).map { "http://\($0)" } ?? ""
        return SurveysView.tokens(req.pageContext(), s, links: tokens.map { base + SiteRoute.publicSurvey(token: $0).path })
    }

    static func byToken(_ req: Request) async throws -> SurveyModel? {
        guard let token = req.parameters.get("token"), token.count <= 64, let sql = req.db as? SQLDatabase else {
            return nil
        }
        struct T: Decodable { var survey_id: UUID }
        guard let row = try await sql.raw("""
            SELECT survey_id FROM survey_tokens WHERE token_hash = \(bind: SM3.hexDigest(token)) AND used = \(bind: false)
            """).first(decoding: T.self) else { return nil }
        return try await SurveyModel.find(row.survey_id, on: req.db).flatMap { $0.status == "open" ? $0 : nil }
    }

    static func publicForm(req: Request) async throws -> Response {
        guard let s = try await byToken(req) else {
            return SurveysView.publicDone(req.pageContext(withForm: true), thanks: false, status: .notFound)
        }
        return SurveysView.publicForm(req.pageContext(withForm: true), s, path: req.url.path)
    }

    static func publicAnswer(req: Request) async throws -> Response {
        guard let s = try await byToken(req), let token = req.parameters.get("token") else {
            return SurveysView.publicDone(req.pageContext(withForm: true), thanks: false, status: .notFound)
        }
        let form = try req.content.decode([String: String].self)
        var levels: [(Int, SurveyLevel)] = []
        for i in s.questionList.indices {
            guard let level = form["q\(i)"].flatMap(SurveyLevel.init(rawValue:)) else {
                return SurveysView.publicForm(req.pageContext(withForm: true), s, path: req.url.path,
                                              error: req.l10n("survey.error.allQuestions"))
            }
            levels.append((i, level))
        }
        let id = try s.requireID()
        let answers = levels
        let hash = SM3.hexDigest(token)
        let stored = try await req.audited { tx, audit -> Bool in
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            let spent = try await sql.update("survey_tokens").set("used", to: true)
                .where("token_hash", .equal, hash).where("used", .equal, false).returning("token_hash").all()
            guard spent.count == 1 else { return false }
            var insert = sql.insert(into: "survey_answers").columns("survey_id", "question", "level")
            for (q, level) in answers.shuffled() {
                insert = insert.values(SQLBind(id), SQLBind(q), SQLBind(level.rawValue))
            }
            try await insert.run()
            audit.add(AuditEvent(.update, objectType: "survey", objectID: id.uuidString, summary: "问卷已作答（公开链接）"))
            return true
        }
        return SurveysView.publicDone(req.pageContext(withForm: true), thanks: stored, status: stored ? .ok : .notFound)
    }
}
