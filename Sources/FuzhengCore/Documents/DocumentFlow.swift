import Foundation

/// The steps of an outgoing document (条例第十七、十八条: 复核 → 登记 → 印制 → 核发), in order.
public enum DocumentStep: String, Sendable, Codable, CaseIterable, Hashable {
    case draft          // 拟稿
    case review         // 部门负责人审核
    case check          // 办公室核稿
    case countersign    // 会签 (joint documents only)
    case sign           // 领导签发
    case recheck        // 复核
    case number         // 编号
    case seal           // 用印
    case issue          // 核发
    case issued         // 已核发 (end)

    public var nameZh: String {
        switch self {
        case .draft: "拟稿"
        case .review: "部门负责人审核"
        case .check: "办公室核稿"
        case .countersign: "会签"
        case .sign: "领导签发"
        case .recheck: "复核"
        case .number: "编号"
        case .seal: "用印"
        case .issue: "核发"
        case .issued: "已核发"
        }
    }
}

/// Who signs a type: the leader who 分管 the drafting unit (or the principal one), or only the principal one.
public enum SignerRule: String, Sendable, Codable {
    case overseeing, principal
}

/// The flow of `rules/document-flow.json`: the steps in order and, per step, the office action (and so the roles)
/// that may take it; per type, who signs. A county changes the file, not the code.
public struct DocumentFlow: Sendable {
    public struct StepRule: Sendable, Codable {
        public var step: DocumentStep
        public var action: String
    }

    public var steps: [StepRule]
    public var signers: [String: SignerRule]
    /// Per drafting unit: steps it leaves out (only 审核, 复核 and 用印 may be) and its own signer rules by type.
    public var units: [String: UnitRule]

    public struct UnitRule: Sendable, Codable {
        public var skip: [DocumentStep]?
        public var signers: [String: SignerRule]?
    }

    public static let skippable: Set<DocumentStep> = [.review, .recheck, .seal]

    private struct File: Decodable {
        var steps: [StepRule]
        var signers: [String: SignerRule]
        var units: [String: UnitRule]?
    }

    public init(data: Data) throws {
        let f = try JSONDecoder().decode(File.self, from: data)
        steps = f.steps
        signers = f.signers
        units = f.units ?? [:]
        for (unit, rule) in units where !Set(rule.skip ?? []).isSubset(of: Self.skippable) {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "unit \(unit) skips a step that cannot be left out (only review, recheck, seal)"))
        }
        guard steps.first?.step == .draft, steps.last?.step == .issue,
              steps.allSatisfy({ OfficeAction(rawValue: $0.action) != nil }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "the flow starts with draft, ends with issue, and names office actions"))
        }
    }

    public static let shared: DocumentFlow = {
        do {
            return try DocumentFlow(data: Catalogs.resource("document-flow", "json", "rules"))
        } catch {
            preconditionFailure("FuzhengCore rules/document-flow.json is missing or malformed: \(error)")
        }
    }()

    public func signerRule(_ type: DocumentType, unit: String = "") -> SignerRule {
        units[unit]?.signers?[type.rawValue] ?? signers[type.rawValue] ?? .overseeing
    }

    /// The step after `step` for a document of `unit`: 会签 only for a joint one, and none the unit leaves out.
    public func next(after step: DocumentStep, joint: Bool, unit: String = "") -> DocumentStep {
        guard let i = steps.firstIndex(where: { $0.step == step }) else { return .issued }
        let skipped = Set(units[unit]?.skip ?? [])
        var j = i + 1
        while j < steps.count, (steps[j].step == .countersign && !joint) || skipped.contains(steps[j].step) { j += 1 }
        return j < steps.count ? steps[j].step : .issued
    }

    /// The permission that takes `step` of a document of `unitCode` (for 会签, of the countersigning unit).
    public func permission(for step: DocumentStep, unitCode: String) -> Permission? {
        guard let rule = steps.first(where: { $0.step == step }), let action = OfficeAction(rawValue: rule.action)
        else { return nil }
        return .office(action, Target(unitCode: unitCode))
    }

    public enum Refusal: Error, Equatable, Sendable {
        case finished
        case notYourStep(DocumentStep)
        case reasonRequired
        case openFindings(Int)
        case notPrincipal
        case alreadyCountersigned
        case countersignOutOfOrder(String)
    }

    public enum Move: String, Sendable, Codable {
        case forward, sendBack = "send_back"
    }

    /// The state a document's flow is in.
    public struct State: Sendable, Equatable, Codable {
        public var step: DocumentStep
        /// Countersigning units that have agreed in this round.
        public var countersigned: [String]

        public init(step: DocumentStep = .draft, countersigned: [String] = []) {
            self.step = step
            self.countersigned = countersigned
        }
    }

    /// Whether `principal` may take the current step of a document drafted in `unitCode`, and for which unit.
    public func actingUnit(_ state: State, _ principal: Principal, unitCode: String, countersignUnits: [String],
                           inOrder: Bool, type: DocumentType) -> Result<(unit: String, actingFor: Delegator?),
                               Refusal> {
        guard state.step != .issued else { return .failure(.finished) }
        if state.step == .countersign {
            let pending = countersignUnits.filter { !state.countersigned.contains($0) }
            let candidates = inOrder ? Array(pending.prefix(1)) : pending
            for unit in candidates {
                if let p = permission(for: .countersign, unitCode: unit),
                   case .allowed(let d) = AccessPolicy.decide(principal, p) { return .success((unit, d)) }
            }
            if inOrder, let first = pending.first, pending.dropFirst().contains(where: { unit in
                permission(for: .countersign, unitCode: unit).map { AccessPolicy.allows(principal, $0) } ?? false
            }) { return .failure(.countersignOutOfOrder(first)) }
            return .failure(.notYourStep(.countersign))
        }
        guard let p = permission(for: state.step, unitCode: unitCode),
              case .allowed(let d) = AccessPolicy.decide(principal, p) else {
            return .failure(.notYourStep(state.step))
        }
        if state.step == .sign, signerRule(type, unit: unitCode) == .principal {
            let principalGrant = principal.grants.contains { $0.role == .leader && $0.reach == .county }
            if !principalGrant { return .failure(.notPrincipal) }
        }
        return .success((unitCode, d))
    }

    /// One move. `openFindings` counts the 核稿 findings neither fixed nor waived: they stop 签发.
    public func apply(_ move: Move, to state: State, by principal: Principal, unitCode: String,
                      countersignUnits: [String], inOrder: Bool, type: DocumentType, reason: String,
                      openFindings: Int) -> Result<(State, actedFor: String, actingFor: Delegator?), Refusal> {
        let acting: (unit: String, actingFor: Delegator?)
        switch actingUnit(state, principal, unitCode: unitCode, countersignUnits: countersignUnits, inOrder: inOrder,
                          type: type) {
        case .failure(let r): return .failure(r)
        case .success(let a): acting = a
        }
        switch move {
        case .sendBack:
            guard state.step != .draft else { return .failure(.notYourStep(.draft)) }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return .failure(.reasonRequired)
            }
            return .success((State(step: .draft), acting.unit, acting.actingFor))
        case .forward:
            if state.step == .sign && openFindings > 0 { return .failure(.openFindings(openFindings)) }
            var next = state
            if state.step == .countersign {
                next.countersigned.append(acting.unit)
                if countersignUnits.allSatisfy(next.countersigned.contains) {
                    next.step = self.next(after: .countersign, joint: true, unit: unitCode)
                }
                return .success((next, acting.unit, acting.actingFor))
            }
            next.step = self.next(after: state.step, joint: !countersignUnits.isEmpty, unit: unitCode)
            if state.step == .draft { next.countersigned = [] }
            return .success((next, acting.unit, acting.actingFor))
        }
    }
}
