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

    /// The server's demo budget: the seed's figures with classification codes on every line. Read from the source
    /// tree because it is the server's resource, and the tables must show what the demo really holds.
    static var demoBudget: Budget {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let url = root.appendingPathComponent("Sources/FuzhengServer/Resources/demo/budget-434001-2023.json")
            return try JSONDecoder().decode(Budget.self, from: Data(contentsOf: url))
        }
    }
}

func wan(_ text: String) -> Fen { try! MoneyFormat.parse(text, unit: .wan) }
