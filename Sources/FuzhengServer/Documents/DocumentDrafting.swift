import Fluent
import Foundation
import FuzhengCore
import Vapor

/// A draft 发文 made by another module (a 收文's 复函, a 督办 item's 答复, the monthly 督查通报): created at the 拟稿
/// step of `unitID` with its first version and its search terms, inside the caller's transaction.
enum DocumentDrafting {
    static func create(_ draft: OutgoingDocument, unitID: UUID, by user: CurrentUser, at now: Date,
                       on tx: Database) async throws -> DocumentModel {
        let model = DocumentModel()
        model.$unit.id = unitID
        model.year = CivilDay(now).year
        try model.set(draft)
        model.step = DocumentStep.draft.rawValue
        model.countersignUnits = ""
        model.countersignInOrder = false
        model.countersigned = ""
        model.waiversJSON = "[]"
        model.draftedBy = user.username
        model.draftedByName = user.displayName
        model.version = 1
        model.createdAt = now
        model.updatedAt = now
        try await model.create(on: tx)
        try await DocumentsController.reindex(model, on: tx)
        try await DocumentsController.saveVersion(model, draft, step: .draft, user: user, at: now, on: tx)
        return model
    }

    /// The issuing body of a unit's documents: its department's, when that body has a 机关代字.
    static func issuers(unitCode: String, on db: Database) async throws -> [String] {
        let department = String(unitCode.prefix(3))
        return try await BodyModel.find(department, on: db)?.numberPrefix == nil ? [] : [department]
    }
}
