import Foundation

/// One 核稿 finding: the rule, its clause, the words in both languages and the field it is about.
public struct DocumentFinding: Sendable, Equatable, Codable {
    public var rule: String
    public var clause: String
    public var zh: String
    public var en: String
    public var field: String

    /// A finding that refuses the document outright (a state secret's content), not one to fix or waive.
    public var isRefusal: Bool { rule == "DOC-SECRET-CONTENT" }
}

/// The 核稿 checks of `rules/document-checks.json`, each naming its clause. `direction` tells, for a recipient
/// body code, whether the document goes up, across or down (from the organisation's `BodyRegister`).
public struct DocumentChecks: Sendable {
    public struct Rule: Sendable, Codable {
        public var clause: String
        public var zh: String
        public var en: String
    }

    public var rules: [String: Rule]
    public var titlePunctuationAllowed: String
    public var requestClosings: [String]
    public var directions: [String: [DocumentDirection]]

    private struct File: Decodable {
        var rules: [String: Rule]
        var titlePunctuationAllowed: String
        var requestClosings: [String]
        var directions: [String: [DocumentDirection]]
    }

    public init(data: Data) throws {
        let f = try JSONDecoder().decode(File.self, from: data)
        rules = f.rules
        titlePunctuationAllowed = f.titlePunctuationAllowed
        requestClosings = f.requestClosings
        directions = f.directions
    }

    public static let shared: DocumentChecks = {
        do {
            return try DocumentChecks(data: Catalogs.resource("document-checks", "json", "rules"))
        } catch {
            preconditionFailure("FuzhengCore rules/document-checks.json is missing or malformed: \(error)")
        }
    }()

    func finding(_ id: String, field: String, _ args: String...) -> DocumentFinding {
        let rule = rules[id] ?? Rule(clause: "", zh: id, en: id)
        func fill(_ s: String) -> String {
            var out = s
            for (i, a) in args.enumerated() { out = out.replacingOccurrences(of: "{\(i)}", with: a) }
            return out
        }
        return DocumentFinding(rule: id, clause: rule.clause, zh: fill(rule.zh), en: fill(rule.en), field: field)
    }

    /// The direction of the document to each main recipient in the organisation (typed outside bodies are skipped).
    public typealias DirectionOf = @Sendable (_ recipientCode: String) -> DocumentDirection?

    public func check(_ d: OutgoingDocument, direction: DirectionOf = { _ in nil }) -> [DocumentFinding] {
        var out: [DocumentFinding] = []
        if d.secrecy.isStateSecret {
            out.append(finding("DOC-SECRET-CONTENT", field: "secrecy", d.secrecy.nameZh))
            if d.copyNumber.count != 6 || !d.copyNumber.allSatisfy({ $0.isASCII && $0.isNumber })
                || d.secrecyPeriod.isEmpty {
                out.append(finding("DOC-SECRET-MARKS", field: "copyNumber"))
            }
        }
        let title = d.title.trimmingCharacters(in: .whitespaces)
        if !d.type.titleEndings.contains(where: { title.hasSuffix($0) }) {
            out.append(finding("DOC-TITLE-TYPE", field: "title", d.type.nameZh))
        }
        let allowed = Set(titlePunctuationAllowed)
        if let bad = title.first(where: { ($0.isPunctuation || $0.isSymbol) && !allowed.contains($0) }) {
            out.append(finding("DOC-TITLE-PUNCT", field: "title", String(bad)))
        }
        let date = d.writtenOn.trimmingCharacters(in: .whitespaces)
        if !date.isEmpty && date.range(of: "^[0-9]{4}年[1-9][0-9]?月[1-9][0-9]?日$", options: .regularExpression) == nil {
            out.append(finding("DOC-DATE-ARABIC", field: "writtenOn", date))
        }
        let body = DocumentBody(d.body)
        let cited = body.citedAttachments
        for n in cited where n > d.attachments.count {
            out.append(finding("DOC-ATTACH-MISSING", field: "body", String(n)))
        }
        if !cited.isEmpty || d.attachments.count > 1 {
            for (i, name) in d.attachments.enumerated() where !cited.contains(i + 1) {
                // A single attachment may be cited as 附件 without a number.
                if d.attachments.count == 1 && d.body.contains("附件") { continue }
                out.append(finding("DOC-ATTACH-UNCITED", field: "attachments", String(i + 1), name))
            }
        } else if d.attachments.count == 1 && !d.body.contains("附件") {
            out.append(finding("DOC-ATTACH-UNCITED", field: "attachments", "1", d.attachments[0]))
        }
        if d.type == .request {
            if d.mainRecipients.count != 1 {
                out.append(finding("DOC-REQUEST-ONE-RECIPIENT", field: "mainRecipients",
                    String(d.mainRecipients.count)))
            }
            let closings = requestClosings.reduce(0) { $0 + d.body.components(separatedBy: $1).count - 1 }
            if closings > 1 { out.append(finding("DOC-REQUEST-ONE-MATTER", field: "body", String(closings))) }
        }
        var current = 0
        let levelNames = ["", "一", "二", "三", "四"]
        for p in body.paragraphs where p.level > 0 {
            if p.level > current + 1 {
                out.append(finding("DOC-HEADING-ORDER", field: "body", String(p.line), levelNames[p.level],
                                   String(p.text.prefix(12)), levelNames[p.level - 1]))
            }
            current = p.level
        }
        var upward = false
        let allowedDirections = directions[d.type.rawValue]
        for r in d.mainRecipients {
            guard let code = r.code, let dir = direction(code) else { continue }
            if dir == .upward { upward = true }
            if let allowedDirections, !allowedDirections.contains(dir) {
                out.append(finding("DOC-DIRECTION", field: "mainRecipients", d.type.nameZh, dir.nameZh, r.name))
            }
        }
        if upward && d.signers.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            out.append(finding("DOC-SIGNER", field: "signers"))
        }
        if d.openness == .withheld && d.opennessReason.trimmingCharacters(in: .whitespaces).isEmpty {
            out.append(finding("DOC-OPENNESS-REASON", field: "opennessReason"))
        }
        return out
    }
}
