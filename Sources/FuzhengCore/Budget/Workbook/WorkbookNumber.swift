/// How a number read from a spreadsheet becomes exact before the one checked parser (`NumberInput`) reads it.
///
/// A spreadsheet keeps numbers as binary doubles, so 12.35 typed or computed in Excel can be stored as
/// 12.349999999999999 or 12.350000000000001. The rule, for amounts (places 2: the fen), quantities (3) and whole
/// numbers (0): the decimal text of the stored value is read exactly (never through a Double); a value within
/// 0.000001 of a number with `places` decimals is that number, the nearest one, rounded half away from zero (within
/// that tolerance no value lies half-way, so the direction never decides); any other value keeps its decimals and
/// `NumberInput` refuses it as more precise than the unit (12.345 元 is not a whole fen). Text cells get the same
/// rule, so "12,345.60", "12345.6 " and "1.23456E+4" read alike.
public enum WorkbookNumber {
    /// The tolerance, as a power of ten: 10^-6 of the unit of the number (元 for amounts).
    public static let toleranceExponent = 6

    /// The text to hand to `NumberInput`: `text` itself when it is not a plain decimal (full-width digits, "25%",
    /// words: the parser judges those), or a plain decimal with at most `places` decimals when it is within the
    /// tolerance of one, or the plain decimal with all its decimals when it is not (refused downstream).
    public static func snapped(_ text: String, places: Int) -> String {
        let compact = text.filter { !$0.isWhitespace && $0 != "," }
        guard let parsed = Decimal(compact) else { return text }
        return parsed.snapped(places: places)
    }

    /// An exact decimal: sign, digits before and after the point.
    struct Decimal {
        var negative: Bool
        var whole: String
        var fraction: String

        /// Reads "-12.3499", ".5", "1.2E+5", "12E-3"; nil for anything else (or exponents past ±40, no real figure).
        init?(_ s: String) {
            var chars = Substring(s)
            negative = false
            if chars.first == "-" || chars.first == "+" { negative = chars.first == "-"; chars = chars.dropFirst() }
            var mantissa = chars
            var exponent = 0
            if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                mantissa = chars[..<e]
                var expText = chars[chars.index(after: e)...]
                var expNegative = false
                if expText.first == "-" || expText.first == "+" {
                    expNegative = expText.first == "-"
                    expText = expText.dropFirst()
                }
                guard !expText.isEmpty, expText.count <= 2, expText.allSatisfy(Self.isDigit), let n = Int(expText)
                else { return nil }
                exponent = expNegative ? -n : n
                guard exponent <= 40 && exponent >= -40 else { return nil }
            }
            let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(Self.isDigit) }),
                  parts.contains(where: { !$0.isEmpty }) else { return nil }
            var digits = String(parts[0]) + (parts.count == 2 ? String(parts[1]) : "")
            var point = parts[0].count + exponent
            if point < 0 { digits = String(repeating: "0", count: -point) + digits; point = 0 }
            if point > digits.count { digits += String(repeating: "0", count: point - digits.count) }
            let split = digits.index(digits.startIndex, offsetBy: point)
            whole = String(digits[..<split])
            fraction = String(digits[split...])
        }

        static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

        func snapped(places: Int) -> String {
            var kept = String(fraction.prefix(places))
            kept += String(repeating: "0", count: places - kept.count)
            let rest = Array(fraction.dropFirst(places))
            var whole = whole.isEmpty ? "0" : whole
            if !rest.isEmpty {
                let k = WorkbookNumber.toleranceExponent - places
                let head = rest.prefix(k) + Array(repeating: Character("0"), count: max(0, k - rest.count))
                let tailZero = rest.dropFirst(k).allSatisfy { $0 == "0" }
                // Exactly 10^-6 away still counts: 0.0001 of a fen is within the tolerance, not beyond it.
                let exactlyAtTolerance = head.dropLast().allSatisfy { $0 == "0" } && head.last == "1" && tailZero
                let below = head.allSatisfy { $0 == "0" } || exactlyAtTolerance
                let above = head.allSatisfy { $0 == "9" }
                if above {
                    (whole, kept) = Self.increment(whole, kept)
                } else if !below {
                    return render(whole, fraction)
                }
            }
            return render(whole, kept)
        }

        func render(_ whole: String, _ fraction: String) -> String {
            (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
        }

        /// whole.fraction + one unit in the last place of `fraction` (or of `whole` when there is no fraction).
        static func increment(_ whole: String, _ fraction: String) -> (String, String) {
            var digits = Array(whole + fraction)
            var i = digits.count - 1
            while i >= 0 {
                if digits[i] == "9" { digits[i] = "0"; i -= 1; continue }
                digits[i] = Character(String(digits[i].wholeNumberValue! + 1))
                break
            }
            if i < 0 { digits.insert("1", at: 0) }
            let wholeCount = digits.count - fraction.count
            return (String(digits[..<wholeCount]), String(digits[wholeCount...]))
        }
    }
}
