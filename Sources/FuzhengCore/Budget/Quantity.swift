/// A count or measure with up to three decimals (e.g. 8 台, 2.5 吨, 120.35 平方米), kept exact as thousandths.
public struct Quantity: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var thousandths: Int64

    public init(thousandths: Int64) { self.thousandths = thousandths }
    public init(_ whole: Int64) { self.thousandths = whole * 1000 }

    public static func < (a: Quantity, b: Quantity) -> Bool { a.thousandths < b.thousandths }

    /// The most anyone may state: 10^9 of any unit (台, 吨, 平方米…), so quantity × price is exact.
    public static let maxStated = Quantity(1_000_000_000)

    /// nil for anything that is not a plain non-negative number up to `maxStated` with at most three
    /// decimals.
    public static func parse(_ text: String) -> Quantity? {
        let s = text.filter { !$0.isWhitespace && $0 != "," }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard !s.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let digits = parts[0].drop(while: { $0 == "0" })
        guard digits.count <= 10, let whole = Int64(digits.isEmpty ? "0" : String(digits)),
              whole <= maxStated.thousandths / 1000
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= 3 else { return nil }
        fraction += String(repeating: "0", count: 3 - fraction.count)
        let parsed = Quantity(thousandths: whole * 1000 + Int64(fraction)!)
        return parsed <= maxStated ? parsed : nil
    }

    public var description: String {
        let sign = thousandths < 0 ? "-" : ""
        let whole = thousandths.magnitude / 1000
        var fraction = String(thousandths.magnitude % 1000)
        guard thousandths % 1000 != 0 else { return sign + String(whole) }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(whole).\(fraction)"
    }

    /// quantity × unit price, exact to the fen (saturating for stored figures beyond any input).
    public func times(_ price: Fen) -> Fen {
        Fen.multiply(price, quantityUnits: thousandths, scale: 1000)
    }

    /// quantity × unit price, or nil when it leaves Int64.
    public func exactlyTimes(_ price: Fen) -> Fen? {
        Fen.exactProduct(price, quantityUnits: thousandths, scale: 1000)
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
