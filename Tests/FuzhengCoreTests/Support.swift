import Foundation
import FuzhengCore

enum Fixture {
    static func text(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures")
                ?? Bundle.module.url(forResource: name, withExtension: "txt")
        else { throw CocoaError(.fileNoSuchFile) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static var huailai: String { get throws { try text("huailai-office-2023") } }
}

func wan(_ text: String) -> Fen { try! MoneyFormat.parse(text, unit: .wan) }
