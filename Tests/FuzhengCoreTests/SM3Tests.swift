import FuzhengCore
import Testing

@Suite("SM3 (GB/T 32905-2016)")
struct SM3Tests {
    @Test("the standard's first example: \"abc\"")
    func abc() {
        #expect(SM3.hexDigest("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }

    @Test("the standard's second example: \"abcd\" × 16 (512 bits, two blocks after padding)")
    func abcdTimesSixteen() {
        let message = String(repeating: "abcd", count: 16)
        #expect(SM3.hexDigest(message) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test("hashing in pieces gives the same digest as hashing at once")
    func incremental() {
        let text = Array("怀来县人民政府办公室 2023 部门预算 — 辅政".utf8) + Array(repeating: 0x5A, count: 200)
        var hasher = SM3()
        for chunk in stride(from: 0, to: text.count, by: 7) {
            hasher.update(text[chunk..<min(chunk + 7, text.count)])
        }
        #expect(hasher.finalize() == SM3.hash(text))
    }

    @Test("message lengths around the padding boundary all hash to distinct 32-byte digests")
    func paddingBoundaries() {
        let digests = (50...70).map { SM3.hash(Array(repeating: UInt8(0x61), count: $0)) }
        #expect(digests.allSatisfy { $0.count == 32 })
        #expect(Set(digests.map(\.hexString)).count == digests.count)
    }
}
