/// The approval path of a budget: draft → submitted → unit-approved → finance-reviewed → approved →
/// published. Every step but publishing can send the budget back to draft with a comment.
public enum WorkflowAction: String, Sendable, Codable, CaseIterable {
    case submit                          // 单位财务: 提交
    case unitApprove = "unit_approve"    // 单位负责人: 审批
    case financeReview = "finance_review" // 财政审核: 审核
    case financeApprove = "finance_approve" // 财政审核: 批复
    case publish                         // 单位财务: 公开
    case sendBack = "send_back"          // 退回
    case withdraw                        // 单位财务: 撤回 a submission nobody has acted on yet

    public var labelKey: String { "workflow.action.\(rawValue)" }
}

public enum Workflow {
    public struct Transition: Sendable, Equatable {
        public var from: BudgetStatus
        public var action: WorkflowAction
        public var to: BudgetStatus
        public var role: Role
    }

    public static let transitions: [Transition] = [
        .init(from: .draft, action: .submit, to: .submitted, role: .unitFinance),
        .init(from: .submitted, action: .unitApprove, to: .unitApproved, role: .unitHead),
        .init(from: .submitted, action: .sendBack, to: .draft, role: .unitHead),
        .init(from: .submitted, action: .withdraw, to: .draft, role: .unitFinance),
        .init(from: .unitApproved, action: .financeReview, to: .financeReviewed, role: .financeReviewer),
        .init(from: .unitApproved, action: .sendBack, to: .draft, role: .financeReviewer),
        .init(from: .financeReviewed, action: .financeApprove, to: .approved, role: .financeReviewer),
        .init(from: .financeReviewed, action: .sendBack, to: .draft, role: .financeReviewer),
        .init(from: .approved, action: .publish, to: .published, role: .unitFinance),
    ]

    /// The actions this person may take on a budget of `unitCode` in `status`.
    public static func actions(for principal: Principal, status: BudgetStatus, unitCode: String) -> [Transition] {
        transitions.filter { t in
            t.from == status && principal.grant(t.role, reaching: Target(unitCode: unitCode)) != nil
        }
    }

    /// Whose delegation a step is taken under when the person holds its role only as a deputy (the step is then
    /// recorded as 代).
    public static func delegator(of action: WorkflowAction, by principal: Principal, status: BudgetStatus,
                                 unitCode: String) -> Delegator? {
        guard let t = transitions.first(where: { $0.from == status && $0.action == action }) else { return nil }
        return principal.grant(t.role, reaching: Target(unitCode: unitCode))?.actingFor
    }

    public enum Refusal: Error, Equatable, Sendable {
        /// No such step from this status.
        case notAllowedFromStatus(BudgetStatus, WorkflowAction)
        /// The step exists but belongs to another role or unit.
        case notYourStep(WorkflowAction)
        /// Sending back needs a reason the preparer can act on.
        case commentRequired
        /// A budget with errors does not move forward.
        case hasErrors(Int)
        /// 审核 and 批复 are two people's duties: the one who reviewed may not also approve.
        case sameAsReviewer
    }

    /// Steps that move a budget back to its preparer rather than forward.
    public static func isBackward(_ action: WorkflowAction) -> Bool { action == .sendBack || action == .withdraw }

    /// Checks one step. `errorCount` is the number of error findings; only forward steps need zero.
    /// `actor` and `reviewedBy` (who took the 财政审核 step of this round) enforce the separation of duties when
    /// `separateDuties` is on.
    public static func next(_ status: BudgetStatus, _ action: WorkflowAction, by principal: Principal, unitCode: String,
                            comment: String, errorCount: Int, actor: String = "", reviewedBy: String? = nil,
                            separateDuties: Bool = false) -> Result<BudgetStatus, Refusal> {
        guard transitions.contains(where: { $0.from == status && $0.action == action }) else {
            return .failure(.notAllowedFromStatus(status, action))
        }
        guard let t = actions(for: principal, status: status,
            unitCode: unitCode).first(where: { $0.action == action }) else {
            return .failure(.notYourStep(action))
        }
        if action == .sendBack && comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .failure(.commentRequired) }
        if !isBackward(action) && errorCount > 0 { return .failure(.hasErrors(errorCount)) }
        if separateDuties, action == .financeApprove, let reviewedBy,
            reviewedBy == actor { return .failure(.sameAsReviewer) }
        return .success(t.to)
    }

    /// Who acts next, to notify them: the role that owns the next forward step.
    public static func nextActor(after status: BudgetStatus) -> Role? {
        transitions.first { $0.from == status && !isBackward($0.action) }?.role
    }
}

import Foundation

/// Whether an approved budget may go public now: never with errors; with warnings only after the publisher
/// has read them, and read exactly the ones that stand (a warning that appeared since asks again).
public enum PublishGate {
    public enum Problem: Error, Equatable, Sendable {
        case hasErrors(Int)
        case warningsNotAcknowledged(Int)
    }

    public static func check(errors: Int, warnings: Int, acknowledgedWarnings: Int?) -> Problem? {
        if errors > 0 { return .hasErrors(errors) }
        if warnings > 0 && acknowledgedWarnings != warnings { return .warningsNotAcknowledged(warnings) }
        return nil
    }
}
