/// The one parser and the one formatter for 元 and 万元 amounts.
public enum MoneyUnit: String, Sendable, Codable, CaseIterable {
    case yuan = "元"
    case wan = "万元"

    public var fenPerUnit: Int64 { self == .yuan ? Fen.perYuan : Fen.perWan }
}

public enum MoneyParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case malformed(String)
    /// More decimal places than the unit can hold exactly (分 is the smallest amount).
    case tooPrecise(String, MoneyUnit)
    case outOfRange(String)

    public var description: String {
        switch self {
        case .empty: "金额为空 / the amount is empty"
        case .malformed(let s): "“\(s)”不是有效金额 / “\(s)” is not an amount"
        case .tooPrecise(let s, let unit): "“\(s)”的小数位超出\(unit.rawValue)可精确表示的分位 / “\(s)” has more decimals than \(unit.rawValue) holds to the fen"
        case .outOfRange(let s): "“\(s)”超出范围 / “\(s)” is out of range"
        }
    }
}

public enum MoneyFormat {
    /// Parses "2001.89", "2,001.89", "-0.1", "２００１．８９" (full-width), "291.21 " into 分, given the unit the text is in.
    public static func parse(_ text: String, unit: MoneyUnit) throws(MoneyParseError) -> Fen {
        var s = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: s.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0xFF0E: s.append(".")
            case 0xFF0D, 0x2212: s.append("-")
            case 0x2C, 0xFF0C: continue  // thousands separators
            default:
                if scalar.properties.isWhitespace { continue }
                s.unicodeScalars.append(scalar)
            }
        }
        guard !s.isEmpty else { throw .empty }
        var negative = false
        if s.hasPrefix("-") { negative = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !(whole.isEmpty && (parts.count < 2 || parts[1].isEmpty)),
              whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count < 2 || parts[1].allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw .malformed(text) }
        let decimals = parts.count == 2 ? String(parts[1]) : ""
        let places = unit == .yuan ? 2 : 6
        let trimmed = decimals.reversed().drop(while: { $0 == "0" }).reversed()
        guard trimmed.count <= places else { throw .tooPrecise(text, unit) }
        let significant = whole.drop(while: { $0 == "0" })
        // 18 digits always fit Int64; the product with the unit and the bound are checked exactly.
        guard significant.count <= 18 else { throw .outOfRange(text) }
        let wholeValue = Int64(significant.isEmpty ? "0" : String(significant))!
        let fraction = String(trimmed) + String(repeating: "0", count: places - trimmed.count)
        let fractionValue = Int64(fraction.isEmpty ? "0" : fraction)!
        let (scaled, overflow) = wholeValue.multipliedReportingOverflow(by: unit.fenPerUnit)
        guard !overflow, scaled <= Fen.maxStated.value - fractionValue else { throw .outOfRange(text) }
        let total = scaled + fractionValue
        return Fen(negative ? -total : total)
    }

    /// 万元 with exactly two decimals, as disclosure tables print them: 2,001,890,000 分 → "2001.89".
    /// A figure not whole to 0.01 万元 (100 元) is rounded half away from zero.
    public static func wan(_ amount: Fen) -> String {
        hundredths(amount, divisor: 10_000)
    }

    /// 万元 as sentences print them: trailing zeros dropped ("800", "241.5", "0").
    public static func wanInText(_ amount: Fen) -> String {
        var s = wan(amount)
        while s.hasSuffix("0") && s.contains(".") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// 元 with two decimals: 123456 分 → "1234.56".
    public static func yuan(_ amount: Fen) -> String {
        hundredths(amount, divisor: 1)
    }

    /// True when the amount prints in 万元 with two decimals without rounding.
    public static func isExactInWan(_ amount: Fen) -> Bool { amount.value % 10_000 == 0 }

    /// `amount / divisor` counts hundredths of the display unit; printed with two decimals.
    private static func hundredths(_ amount: Fen, divisor: Int64) -> String {
        let v = amount.value
        var (q, r) = v.quotientAndRemainder(dividingBy: divisor)
        if r.magnitude * 2 >= divisor.magnitude && divisor > 1 { q += v < 0 ? -1 : 1 }
        let negative = q < 0
        let magnitude = q.magnitude
        let whole = magnitude / 100
        let cents = magnitude % 100
        let text = "\(whole).\(cents < 10 ? "0" : "")\(cents)"
        return negative ? "-" + text : text
    }
}

extension Fen {
    /// The change from `prior` as a percentage with one decimal ("-1.3%"), exact integer rounding
    /// (half away from zero); nil when there is no base to compare with.
    public func percentChange(from prior: Fen) -> String? {
        guard prior.value != 0, prior.value != .min else { return nil }
        let base = abs(prior.value)
        let (difference, overflow) = value.subtractingReportingOverflow(prior.value)
        let (scaled, overflow2) = difference.multipliedReportingOverflow(by: 1000)
        // Only figures beyond any real budget get here (input stops at Fen.maxStated): no percentage.
        guard !overflow, !overflow2 else { return nil }
        var tenths = scaled / base
        if (scaled % base).magnitude * 2 >= base.magnitude { tenths += scaled < 0 ? -1 : 1 }
        let sign = tenths < 0 ? "-" : (tenths > 0 ? "+" : "")
        let m = abs(tenths)
        return "\(sign)\(m / 10).\(m % 10)%"
    }
}
