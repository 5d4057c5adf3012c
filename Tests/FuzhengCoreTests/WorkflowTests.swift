import FuzhengCore
import Testing

@Suite("Budget workflow")
struct WorkflowTests {
    let finance = Principal(role: .unitFinance, unitCode: "434001")
    let head = Principal(role: .unitHead, unitCode: "434001")
    let reviewer = Principal(role: .financeReviewer, unitCode: "436001")
    let otherFinance = Principal(role: .unitFinance, unitCode: "436001")

    func step(_ s: BudgetStatus, _ a: WorkflowAction, _ p: Principal, comment: String = "", errors: Int = 0) -> Result<BudgetStatus, Workflow.Refusal> {
        Workflow.next(s, a, by: p, unitCode: "434001", comment: comment, errorCount: errors)
    }

    @Test("the whole path, each step by its own role")
    func happyPath() {
        #expect(step(.draft, .submit, finance) == .success(.submitted))
        #expect(step(.submitted, .unitApprove, head) == .success(.unitApproved))
        #expect(step(.unitApproved, .financeReview, reviewer) == .success(.financeReviewed))
        #expect(step(.financeReviewed, .financeApprove, reviewer) == .success(.approved))
        #expect(step(.approved, .publish, finance) == .success(.published))
    }

    @Test("no step out of turn, by another role, or for another unit")
    func refusals() {
        #expect(step(.draft, .unitApprove, head) == .failure(.notAllowedFromStatus(.draft, .unitApprove)))
        #expect(step(.draft, .publish, finance) == .failure(.notAllowedFromStatus(.draft, .publish)))
        #expect(step(.submitted, .unitApprove, finance) == .failure(.notYourStep(.unitApprove)))
        #expect(step(.draft, .submit, otherFinance) == .failure(.notYourStep(.submit)))
        #expect(step(.published, .sendBack, reviewer, comment: "x") == .failure(.notAllowedFromStatus(.published, .sendBack)))
        for role in [Role.systemAdmin, .securityAdmin, .auditAdmin, .officeStaff, .leader] {
            for action in WorkflowAction.allCases {
                for status in BudgetStatus.allCases {
                    if case .success = step(status, action, Principal(role: role, unitCode: "434001"), comment: "c") {
                        Issue.record("\(role) could \(action) from \(status)")
                    }
                }
            }
        }
    }

    @Test("sending back needs a comment; moving forward needs a budget without errors")
    func conditions() {
        #expect(step(.submitted, .sendBack, head) == .failure(.commentRequired))
        #expect(step(.submitted, .sendBack, head, comment: "请补充项目绩效指标") == .success(.draft))
        #expect(step(.draft, .submit, finance, errors: 2) == .failure(.hasErrors(2)))
        #expect(step(.financeReviewed, .sendBack, reviewer, comment: "数字有误", errors: 3) == .success(.draft))
    }

    @Test("each role sees only its own actions")
    func visibleActions() {
        #expect(Workflow.actions(for: finance, status: .draft, unitCode: "434001").map(\.action) == [.submit])
        #expect(Workflow.actions(for: head, status: .draft, unitCode: "434001").isEmpty)
        #expect(Workflow.actions(for: head, status: .submitted, unitCode: "434001").map(\.action) == [.unitApprove, .sendBack])
        #expect(Workflow.actions(for: reviewer, status: .unitApproved, unitCode: "434001").map(\.action) == [.financeReview, .sendBack])
        #expect(Workflow.nextActor(after: .submitted) == .unitHead)
        #expect(Workflow.nextActor(after: .published) == nil)
    }
}
