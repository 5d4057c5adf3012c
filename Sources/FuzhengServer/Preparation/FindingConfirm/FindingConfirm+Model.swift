import Foundation
import FuzhengCore
import Vapor

/// 确认无误: a clerk states that a text a rule doubts (TEXT-STALE-YEAR) is meant. The confirmation names the
/// exact text, so it silences nothing once the text changes; it is a budget edit like any other (draft only,
/// over the version the form was read at, audited).
enum FindingConfirmController {
    struct Model: Sendable {
        var unitCode: String
        var unitName: String
        var year: Int
        var version: Int
        var ruleID: String
        var path: String
        /// The field's text as it stands; every finding of the rule at this path is about it.
        var subject: String
        var findings: [Finding]
    }

    /// The open findings of a confirmable rule at one path of a loaded budget, or nil when there are none.
    static func model(_ loaded: BudgetEditing.Loaded, ruleID: String, path: String) -> Model? {
        guard RuleBook.confirmable.contains(ruleID) else { return nil }
        let context = RuleContext(regionCode: loaded.unit.department.region.code)
        let findings = RuleBook.check(loaded.budget, context: context)
            .filter { $0.ruleID == ruleID && $0.path == path }
        guard let subject = findings.first?.subject else { return nil }
        return Model(unitCode: loaded.unit.code, unitName: loaded.unit.name, year: loaded.budget.fiscalYear,
                     version: loaded.model.version, ruleID: ruleID, path: path, subject: subject, findings: findings)
    }

    struct ConfirmQuery: Content {
        var rule: String?
        var path: String?
    }

    static func show(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let query = try req.query.decode(ConfirmQuery.self)
        guard let m = model(loaded, ruleID: query.rule ?? "", path: query.path ?? "") else {
            req.setFlash("confirm.gone", error: true)
            return req.redirect(within: SiteRoute.budget(code: loaded.unit.code, year: loaded.budget.fiscalYear).path
                                + "#findings")
        }
        return FindingConfirmView.render(req.pageContext(withForm: true), m)
    }

    struct ConfirmForm: Content {
        var rule: String?
        var path: String?
        var subject: String?
        var version: Int?
    }

    static func confirm(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let form = try req.content.decode(ConfirmForm.self)
        let budgetPath = SiteRoute.budget(code: loaded.unit.code, year: loaded.budget.fiscalYear).path
        if let stale = BudgetEditing.refuseIfStale(req, loaded, formVersion: form.version, backTo: budgetPath) {
            return stale
        }
        // Only a finding that stands now, about the very text the clerk read, can be confirmed.
        guard let m = model(loaded, ruleID: form.rule ?? "", path: form.path ?? ""), m.subject == form.subject else {
            req.setFlash("confirm.gone", error: true)
            return req.redirect(within: budgetPath + "#findings")
        }
        let user = try req.requireUser()
        var changed = loaded.budget
        let stamp = ISO8601DateFormatter().string(from: req.now)
        changed.confirmations = (changed.confirmations ?? []).filter { $0.path != m.path || $0.ruleID != m.ruleID }
            + [FindingConfirmation(ruleID: m.ruleID, path: m.path, subject: m.subject, by: user.username, at: stamp)]
        let summary = "confirmed \(m.ruleID) at \(m.path) (\(m.findings.count) finding(s)): “\(m.subject)”"
        guard try await BudgetEditing.save(req, loaded, changed, formVersion: form.version ?? 0,
            summary: summary) else {
            return BudgetEditing.conflict(req, backTo: budgetPath)
        }
        req.setFlash("confirm.done")
        return req.redirect(within: budgetPath + "#findings")
    }

    /// The link a finding's "确认无误" points to, or nil for rules a clerk cannot confirm.
    static func link(unitCode: String, year: Int, _ f: Finding) -> String? {
        guard RuleBook.confirmable.contains(f.ruleID), f.subject != nil else { return nil }
        var parts = URLComponents()
        parts.path = SiteRoute.budgetConfirmFinding(code: unitCode, year: year).path
        parts.queryItems = [URLQueryItem(name: "rule", value: f.ruleID), URLQueryItem(name: "path", value: f.path)]
        return parts.string
    }
}
