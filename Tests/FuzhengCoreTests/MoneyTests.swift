import FuzhengCore
import Testing

@Suite("Money: one parser and one formatter, exact to the fen")
struct MoneyTests {
    @Test("万元 and 元 amounts parse to exact 分")
    func parse() throws {
        #expect(try MoneyFormat.parse("2001.89", unit: .wan) == Fen(2_001_890_000))
        #expect(try MoneyFormat.parse("291.21 ", unit: .wan) == Fen(291_210_000))
        #expect(try MoneyFormat.parse("0.000001", unit: .wan) == Fen(1))
        #expect(try MoneyFormat.parse("1,234.56", unit: .yuan) == Fen(123_456))
        #expect(try MoneyFormat.parse("-0.1", unit: .wan) == Fen(-100_000))
        #expect(try MoneyFormat.parse("２００１．８９", unit: .wan) == Fen(2_001_890_000))
        #expect(try MoneyFormat.parse("500", unit: .wan) == Fen.wan(500))
    }

    @Test("bad amounts are refused with a reason")
    func refuse() {
        #expect(throws: MoneyParseError.empty) { try MoneyFormat.parse("  ", unit: .wan) }
        #expect(throws: MoneyParseError.malformed("12a")) { try MoneyFormat.parse("12a", unit: .wan) }
        #expect(throws: MoneyParseError.malformed("1.2.3")) { try MoneyFormat.parse("1.2.3", unit: .wan) }
        #expect(throws: MoneyParseError.tooPrecise("0.001", .yuan)) { try MoneyFormat.parse("0.001", unit: .yuan) }
    }

    @Test("disclosures print 万元 with two decimals in tables and trimmed in sentences")
    func format() {
        #expect(MoneyFormat.wan(Fen(2_001_890_000)) == "2001.89")
        #expect(MoneyFormat.wan(Fen.wan(500)) == "500.00")
        #expect(MoneyFormat.wan(.zero) == "0.00")
        #expect(MoneyFormat.wanInText(Fen.wan(800)) == "800")
        #expect(MoneyFormat.wanInText(Fen(241_500_000)) == "241.5")
        #expect(MoneyFormat.wanInText(Fen(-100_000)) == "-0.1")
        #expect(MoneyFormat.wanInText(.zero) == "0")
        #expect(MoneyFormat.yuan(Fen(123_456)) == "1234.56")
        #expect(MoneyFormat.wan(Fen(5_000)) == "0.01")   // 50 元 rounds half up to 0.01 万元
        #expect(MoneyFormat.wan(Fen(4_999)) == "0.00")
    }

    @Test("formatting then parsing gives back the amount for every 0.01 万元 step")
    func roundTrip() throws {
        for value in stride(from: Int64(-200_000), through: 3_000_000, by: 10_000) {
            let fen = Fen(value)
            #expect(try MoneyFormat.parse(MoneyFormat.wan(fen), unit: .wan) == fen)
        }
    }

    @Test("quantity × unit price is exact, with decimal quantities rounded half up to the fen")
    func multiply() throws {
        #expect(Quantity(8).times(Fen(600_000)) == Fen(4_800_000))
        #expect(try #require(Quantity.parse("2.5")).times(Fen(333)) == Fen(833))  // 832.5 → 833
        #expect(Quantity.parse("1.2345") == nil)
        #expect(Quantity.parse("968")?.description == "968")
        #expect(Quantity.parse("120.350")?.description == "120.35")
    }
}
