/// An exact amount of money in 分 (0.01 元). Every money path of the platform uses this type:
/// budgets are added, compared and checked to the fen, never in floating point.
public struct Fen: Sendable, Hashable, Comparable, Codable, AdditiveArithmetic, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public static let zero = Fen(0)
    /// 1 元 = 100 分; 1 万元 = 10,000 元 = 1,000,000 分.
    public static let perYuan: Int64 = 100
    public static let perWan: Int64 = 1_000_000

    public static func yuan(_ yuan: Int64) -> Fen { Fen(yuan * perYuan) }
    public static func wan(_ wan: Int64) -> Fen { Fen(wan * perWan) }

    public static func + (a: Fen, b: Fen) -> Fen { Fen(a.value + b.value) }
    public static func - (a: Fen, b: Fen) -> Fen { Fen(a.value - b.value) }
    public static func < (a: Fen, b: Fen) -> Bool { a.value < b.value }
    public static prefix func - (a: Fen) -> Fen { Fen(-a.value) }

    public static func * (a: Fen, n: Int64) -> Fen { Fen(a.value * n) }

    /// Quantity × unit price where the quantity may carry decimals (e.g. 2.5 吨), as a count of
    /// `scale`ths: exact, rounded half away from zero to the fen.
    public static func multiply(_ price: Fen, quantityUnits: Int64, scale: Int64) -> Fen {
        let product = price.value * quantityUnits
        let (q, r) = product.quotientAndRemainder(dividingBy: scale)
        let roundUp = abs(r) * 2 >= scale
        return Fen(q + (roundUp ? (product < 0 ? -1 : 1) : 0))
    }

    public var description: String { MoneyFormat.yuan(self) + "元" }

    public init(from decoder: Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension Sequence where Element == Fen {
    public func sum() -> Fen { reduce(.zero, +) }
}

extension Sequence {
    public func sum(_ amount: (Element) -> Fen) -> Fen { reduce(.zero) { $0 + amount($1) } }
}
