/// The one checked reader for every number a person types or puts in a link: amounts, quantities,
/// percentages and page numbers, each with an explicit range. Nothing read here can make later
/// arithmetic trap: amounts stop at `Fen.maxStated`, quantities at `Quantity.maxStated`.
public enum NumberInput {
    public enum Failure: Error, Equatable, Sendable {
        case empty
        case malformed
        case outOfRange(min: String, max: String)
        case tooPrecise
    }

    /// An amount in 元 or 万元 within `range` (default: 0 … 10^8 万元).
    public static func amount(_ text: String, unit: MoneyUnit,
                              range: ClosedRange<Fen> = .zero...Fen.maxStated) -> Result<Fen, Failure> {
        do {
            let value = try MoneyFormat.parse(text, unit: unit)
            guard range.contains(value) else {
                return .failure(.outOfRange(min: MoneyFormat.inUnit(range.lowerBound, unit),
                                            max: MoneyFormat.inUnit(range.upperBound, unit)))
            }
            return .success(value)
        } catch {
            switch error {
            case .empty: return .failure(.empty)
            case .malformed: return .failure(.malformed)
            case .tooPrecise: return .failure(.tooPrecise)
            case .outOfRange: return .failure(.outOfRange(min: MoneyFormat.inUnit(range.lowerBound, unit),
                                                          max: MoneyFormat.inUnit(range.upperBound, unit)))
            }
        }
    }

    /// A quantity (up to three decimals) within `range` (default: 0 … 10^9).
    public static func quantity(_ text: String,
                                range: ClosedRange<Quantity> = Quantity(0)...Quantity.maxStated)
        -> Result<Quantity, Failure> {
        let trimmed = text.filter { !$0.isWhitespace }
        guard !trimmed.isEmpty else { return .failure(.empty) }
        guard let q = Quantity.parse(trimmed) else {
            let digitsOnly = trimmed.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
            return .failure(digitsOnly ? .outOfRange(min: range.lowerBound.description, max: range.upperBound.description)
                                       : .malformed)
        }
        guard range.contains(q) else {
            return .failure(.outOfRange(min: range.lowerBound.description, max: range.upperBound.description))
        }
        return .success(q)
    }

    /// A whole number within `range`, e.g. a percentage 0…100 ("25", "25%", "２５％").
    public static func integer(_ text: String, range: ClosedRange<Int>) -> Result<Int, Failure> {
        var digits = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: digits.unicodeScalars.append(scalar)
            case 0xFF10...0xFF19: digits.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0x25, 0xFF05: continue  // % ％
            default:
                if scalar.properties.isWhitespace { continue }
                if scalar == "-" && digits.isEmpty { digits = "-"; continue }
                return .failure(.malformed)
            }
        }
        guard !digits.isEmpty, digits != "-" else { return .failure(.empty) }
        guard let value = Int(digits), range.contains(value) else {
            // Int(_:) gives nil past Int.max: that too is out of range, not malformed.
            return .failure(.outOfRange(min: String(range.lowerBound), max: String(range.upperBound)))
        }
        return .success(value)
    }

    public static func percent(_ text: String, range: ClosedRange<Int> = 0...100) -> Result<Int, Failure> {
        integer(text, range: range)
    }

    /// The highest page any list offers; beyond it a list is searched, not paged.
    public static let maxPage = 100_000

    /// A page number from a link: anything missing, malformed or below 1 is page 1, anything above
    /// `maxPage` is `maxPage`, so `(page - 1) * perPage` can never overflow.
    public static func page(_ text: String?) -> Int {
        guard let text, case .success(let n) = integer(text, range: Int.min...Int.max) else {
            if let text, text.allSatisfy({ $0.isASCII && $0.isNumber }), !text.isEmpty { return maxPage }
            return 1
        }
        return min(max(n, 1), maxPage)
    }
}

extension MoneyFormat {
    /// An amount in the unit a form uses: 万元 as sentences print them, 元 with two decimals.
    public static func inUnit(_ amount: Fen, _ unit: MoneyUnit) -> String {
        unit == .wan ? wanInText(amount) : yuan(amount)
    }
}

/// A calendar date as people type it in either language: 2023-12-31, 2023/12/31, 2023.12.31 or 2023年12月31日
/// (one-digit months and days too), always stored as ISO 2023-12-31; impossible dates (2023-02-30) are refused.
public enum DayInput {
    public static func iso(_ text: String) -> String? {
        var s = text.trimmingCharacters(in: .whitespaces)
        if s.hasSuffix("日") { s.removeLast() }
        let parts = s.split(whereSeparator: { "-/.年月".contains($0) }).map(String.init)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { ("0"..."9").contains($0) } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1900...2199).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y)
        else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(y)-\(two(m))-\(two(d))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
