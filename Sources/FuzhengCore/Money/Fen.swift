/// An exact amount of money in 分 (0.01 元). Every money path of the platform uses this type:
/// budgets are added, compared and checked to the fen, never in floating point.
public struct Fen: Sendable, Hashable, Comparable, Codable, AdditiveArithmetic, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public static let zero = Fen(0)
    /// 1 元 = 100 分; 1 万元 = 10,000 元 = 1,000,000 分.
    public static let perYuan: Int64 = 100
    public static let perWan: Int64 = 1_000_000

    /// The largest amount anyone may state for one figure: 10^8 万元 (1 万亿元), above any county's or
    /// province's whole budget. Input beyond it is refused, so sums of a province's figures stay far
    /// inside Int64 (9.2 × 10^18 分).
    public static let maxStated = Fen(100_000_000 * perWan)

    /// True when the amount is within ±`maxStated`; the range rule reports stored figures beyond it.
    public var isWithinStatedRange: Bool { value >= -Fen.maxStated.value && value <= Fen.maxStated.value }

    public static func yuan(_ yuan: Int64) -> Fen { Fen(yuan) * perYuan }
    public static func wan(_ wan: Int64) -> Fen { Fen(wan) * perWan }

    // Arithmetic never traps: one request must not stop the county's platform. Input is bounded
    // (`maxStated`), so these only saturate on figures that were stored by other means, and the
    // range rule (AMT-RANGE) reports those figures as errors. `adding(_:)` says when it happened.
    public static func + (a: Fen, b: Fen) -> Fen { Fen(saturating: a.value.addingReportingOverflow(b.value), sign: b.value) }
    public static func - (a: Fen, b: Fen) -> Fen {
        Fen(saturating: a.value.subtractingReportingOverflow(b.value), sign: b.value == .min ? 1 : -b.value)
    }
    public static func < (a: Fen, b: Fen) -> Bool { a.value < b.value }
    public static prefix func - (a: Fen) -> Fen { a.value == .min ? Fen(.max) : Fen(-a.value) }

    public static func * (a: Fen, n: Int64) -> Fen {
        Fen(saturating: a.value.multipliedReportingOverflow(by: n), sign: (a.value < 0) != (n < 0) ? -1 : 1)
    }

    /// Exact sum, or nil when it leaves Int64.
    public func adding(_ other: Fen) -> Fen? {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        return overflow ? nil : Fen(sum)
    }

    /// Exact product, or nil when it leaves Int64.
    public func multiplied(by n: Int64) -> Fen? {
        let (product, overflow) = value.multipliedReportingOverflow(by: n)
        return overflow ? nil : Fen(product)
    }

    private init(saturating result: (partialValue: Int64, overflow: Bool), sign: Int64) {
        guard result.overflow else { self.init(result.partialValue); return }
        // The true result lies past the bound on the side `sign` gives.
        self.init(sign > 0 ? .max : .min)
    }

    /// Quantity × unit price where the quantity may carry decimals (e.g. 2.5 吨), as a count of
    /// `scale`ths: exact, rounded half away from zero to the fen; nil when the product leaves Int64.
    public static func exactProduct(_ price: Fen, quantityUnits: Int64, scale: Int64) -> Fen? {
        let wide = price.value.multipliedFullWidth(by: quantityUnits)
        let negative = (price.value < 0) != (quantityUnits < 0) && price.value != 0 && quantityUnits != 0
        // |product| / scale must fit: compare the high word before dividing, which would trap.
        let magnitude = wide.high < 0
            ? (UInt64(bitPattern: ~wide.high), ~wide.low &+ 1)
            : (UInt64(bitPattern: wide.high), wide.low)
        let carry: UInt64 = (wide.high < 0 && wide.low == 0) ? 1 : 0
        let high = magnitude.0 &+ carry
        guard high < UInt64(scale) else { return nil }
        let (q, r) = UInt64(scale).dividingFullWidth((high, magnitude.1))
        let rounded = q + (r * 2 >= UInt64(scale) ? 1 : 0)
        guard rounded <= UInt64(Int64.max) else { return nil }
        return Fen(negative ? -Int64(rounded) : Int64(rounded))
    }

    /// `exactProduct`, saturating instead of failing (for display of figures already stored).
    public static func multiply(_ price: Fen, quantityUnits: Int64, scale: Int64) -> Fen {
        if let exact = exactProduct(price, quantityUnits: quantityUnits, scale: scale) { return exact }
        return Fen((price.value < 0) != (quantityUnits < 0) ? .min : .max)
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
