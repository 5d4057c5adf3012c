/// A count or measure with up to three decimals (e.g. 8 台, 2.5 吨, 120.35 平方米), kept exact as thousandths.
public struct Quantity: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var thousandths: Int64

    public init(thousandths: Int64) { self.thousandths = thousandths }
    public init(_ whole: Int64) { self.thousandths = whole * 1000 }

    public static func < (a: Quantity, b: Quantity) -> Bool { a.thousandths < b.thousandths }

    public static func parse(_ text: String) -> Quantity? {
        let s = text.filter { !$0.isWhitespace && $0 != "," }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard !s.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0]))
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= 3 else { return nil }
        fraction += String(repeating: "0", count: 3 - fraction.count)
        return Quantity(thousandths: whole * 1000 + Int64(fraction)!)
    }

    public var description: String {
        let whole = thousandths / 1000
        var fraction = String(thousandths % 1000)
        guard thousandths % 1000 != 0 else { return String(whole) }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }

    /// quantity × unit price, exact to the fen.
    public func times(_ price: Fen) -> Fen {
        Fen.multiply(price, quantityUnits: thousandths, scale: 1000)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let q = Quantity.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a quantity: \(text)"))
        }
        self = q
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
