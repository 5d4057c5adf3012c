import Foundation
import FuzhengCore
import Testing

@Suite("Numbers from users: one checked parser, arithmetic that never traps")
struct NumberInputTests {
    @Test("amounts stop at 10^8 万元 in either unit")
    func amountRange() {
        #expect(NumberInput.amount("100000000", unit: .wan) == .success(Fen.maxStated))
        #expect(NumberInput.amount("1000000000000", unit: .yuan) == .success(Fen.maxStated))
        for text in ["100000000.01", "99999999999", "999999999999", "99999999999999999999", "10000000000000.01"] {
            guard case .failure(.outOfRange) = NumberInput.amount(text, unit: .wan) else {
                Issue.record("\(text) 万元 was accepted"); continue
            }
        }
        guard case .failure(.outOfRange) = NumberInput.amount("1000000000000.01", unit: .yuan) else {
            Issue.record("1000000000000.01 元 was accepted"); return
        }
        #expect(NumberInput.amount("-1", unit: .wan) == .failure(.outOfRange(min: "0", max: "100000000")))
        #expect(NumberInput.amount("1e5", unit: .wan) == .failure(.malformed))
        #expect(NumberInput.amount("", unit: .wan) == .failure(.empty))
        #expect(NumberInput.amount("0.0000001", unit: .wan) == .failure(.tooPrecise))
        #expect(NumberInput.amount("００００１２.５", unit: .wan) == .success(Fen(12_500_000)))
    }

    @Test("quantities stop at 10^9; the 17-digit quantity that once stopped the platform is refused")
    func quantityRange() {
        #expect(Quantity.parse("12345678901234567") == nil)
        #expect(Quantity.parse("99999999999999999999999") == nil)
        #expect(NumberInput.quantity("12345678901234567") == .failure(.outOfRange(min: "0", max: "1000000000")))
        #expect(NumberInput.quantity("1000000000") == .success(Quantity.maxStated))
        #expect(NumberInput.quantity("2.5") == .success(Quantity(thousandths: 2500)))
        #expect(NumberInput.quantity("abc") == .failure(.malformed))
        // The largest quantity times the largest price is still exact.
        #expect(Quantity.maxStated.exactlyTimes(Fen.maxStated) == nil)
        #expect(Quantity(thousandths: 1).exactlyTimes(Fen.maxStated) == Fen(100_000_000_000))
    }

    @Test("percentages and page numbers", arguments: [
        ("25", 25), ("25%", 25), ("２５％", 25), (" 100 ", 100),
    ])
    func percent(_ text: String, _ value: Int) {
        #expect(NumberInput.percent(text) == .success(value))
    }

    @Test("page numbers from links are clamped, never trusted")
    func pages() {
        #expect(NumberInput.page("9223372036854775807") == NumberInput.maxPage)
        #expect(NumberInput.page("184467440737095517") == NumberInput.maxPage)
        #expect(NumberInput.page("99999999999999999999999") == NumberInput.maxPage)
        #expect(NumberInput.page("-9223372036854775808") == 1)
        #expect(NumberInput.page("0") == 1)
        #expect(NumberInput.page("x") == 1)
        #expect(NumberInput.page(nil) == 1)
        #expect(NumberInput.page("7") == 7)
        #expect(NumberInput.percent("101") == .failure(.outOfRange(min: "0", max: "100")))
        #expect(NumberInput.percent("99999999999999999999") == .failure(.outOfRange(min: "0", max: "100")))
    }

    @Test("money arithmetic saturates instead of trapping, at every bound")
    func saturation() {
        let extremes: [Int64] = [.max, .min, .max - 1, .min + 1, 0, 1, -1, 1_000_000, Fen.maxStated.value]
        for a in extremes {
            for b in extremes {
                let x = Fen(a), y = Fen(b)
                let sum = x + y, difference = x - y, product = x * b
                if let exact = x.adding(y) { #expect(sum == exact) }
                if let exact = x.multiplied(by: b) { #expect(product == exact) }
                _ = (difference, x.percentChange(from: y), MoneyFormat.wan(x), MoneyFormat.yuan(x), MoneyFormat.wanInText(x))
                _ = (Quantity(thousandths: a).description, Quantity(thousandths: b).times(x), -x)
            }
        }
        #expect(Fen(.max) + Fen(1) == Fen(.max))
        #expect(Fen(.min) - Fen(1) == Fen(.min))
        #expect(Fen(.max) - Fen(.min) == Fen(.max))
        #expect(Fen(.min) * 2 == Fen(.min))
        #expect(Fen(.max) * -2 == Fen(.min))
        #expect([Fen](repeating: Fen(.max / 2), count: 10).sum() == Fen(.max))
    }

    @Test("quantity × price is exact and rounded half away from zero (seeded random cases)")
    func exactProducts() {
        var rng = SplitMix64(seed: 20231201)
        for _ in 0..<20_000 {
            let price = Int64(rng.next() % 2_000_000_001) - 1_000_000_000
            let units = Int64(rng.next() % 9_000_001)
            let product = price * units
            let (q, r) = product.quotientAndRemainder(dividingBy: 1000)
            let expected = q + (r.magnitude * 2 >= 1000 ? (product < 0 ? -1 : 1) : 0)
            #expect(Fen.exactProduct(Fen(price), quantityUnits: units, scale: 1000) == Fen(expected))
        }
        #expect(Fen.exactProduct(Fen(.max), quantityUnits: .max, scale: 1000) == nil)
        #expect(Fen.multiply(Fen(.max), quantityUnits: .max, scale: 1000) == Fen(.max))
        #expect(Fen.multiply(Fen(.min), quantityUnits: .max, scale: 1000) == Fen(.min))
    }

    @Test("a budget holding a 99,999,999,999 万元 line is an error, and every export of it still renders")
    func hugeStoredFigure() throws {
        var b = try DisclosureImporter.importBudget(try Fixture.huailai)
        b.expenditure[0].amount = Fen(99_999_999_999 * Fen.perWan)
        b.revenue[0].amount = b.revenue[0].amount + b.expenditure[0].amount
        b.prior.total = Fen(.min)
        b.procurement[0].quantity = Quantity(thousandths: .max)
        let findings = RuleBook.check(b)
        #expect(findings.contains { $0.ruleID == "AMT-RANGE" && $0.severity == .error })
        for format in DisclosureFormat.allCases {
            let files = try DisclosureExport.files(b, format: format)
            #expect(!files.isEmpty)
        }
        _ = SVGBarChart.render(title: "t", bars: [.init("a", Fen(.max)), .init("b", Fen(1)), .init("c", Fen(.min))])
    }
}

@Suite("Dates as people type them")
struct DayInputTests {
    @Test("every order used here becomes ISO; impossible dates are refused")
    func forms() {
        for text in ["2023-12-31", "2023/12/31", "2023.12.31", "2023年12月31日", " 2023-12-31 "] {
            #expect(DayInput.iso(text) == "2023-12-31", "\(text)")
        }
        #expect(DayInput.iso("2024-2-9") == "2024-02-09")
        #expect(DayInput.iso("2024-02-29") == "2024-02-29")
        for text in ["2023-02-29", "2023-02-30", "2023-13-01", "12/31/2023", "2023-12", "", "２０２３-12-31", "2023-12-31-1"] {
            #expect(DayInput.iso(text) == nil, "\(text)")
        }
    }
}

@Suite("trimmedSpaces equals Foundation's whitespace trim")
struct TrimTests {
    @Test("spaces, tabs and U+3000 at either end; inner ones and other characters kept")
    func trim() {
        for s in ["", " ", "  a ", "\tb\t", "\u{3000}怀来\u{3000}", "a b", " a\nb ", "\n x \n", "12,3 ", "x"] {
            #expect(s.trimmedSpaces == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
        }
    }
}
