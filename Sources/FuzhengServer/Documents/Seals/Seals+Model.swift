import Fluent
import Foundation
import FuzhengCore
import Vapor

/// 印章管理: every body that issues documents with the state of its seal. The 安全管理员 sees each seal (opened with
/// the key for this page only) to check it before a 文书 uses it.
struct SealsPageModel {
    struct Row {
        var code: String
        var name: String
        var prefix: String
        var digest: String?
        var uploadedBy: String?
        var uploadedAt: Date?
        var size: String?
        /// The image as a data: URI when the key opens it.
        var preview: String?
    }

    var rows: [Row]
    var keyPresent: Bool

    static func query(on db: Database, box: SecretBox?) async throws -> SealsPageModel {
        let bodies = try await BodyModel.query(on: db).sort(\.$position).all()
            .filter { !($0.numberPrefix ?? "").isEmpty }
        let seals = Dictionary(try await BodySealModel.query(on: db).all().map { ($0.bodyCode, $0) },
                               uniquingKeysWith: { a, _ in a })
        let rows = try bodies.map { b -> Row in
            let code = try b.requireID()
            let s = seals[code]
            return Row(code: code, name: b.name, prefix: b.numberPrefix ?? "", digest: s?.digest,
                       uploadedBy: s?.uploadedBy, uploadedAt: s?.uploadedAt,
                       size: s.map { "\($0.width)×\($0.height)" },
                       preview: s.flatMap { SealStore.image($0, box: box) }
                           .map { "data:image/png;base64," + $0.base64EncodedString() })
        }
        return SealsPageModel(rows: rows, keyPresent: box != nil)
    }
}
