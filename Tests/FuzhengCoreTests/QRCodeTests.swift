import Foundation
import FuzhengCore
import Testing

// The expectations below come from the standard's tables (ISO/IEC 18004:2015 Tables 7, 9, C.1, D.1, Annex E)
// and, for whole symbols, from segno 1.6.6 with its padding bug fixed (see .ci/check_qr.py), never from the
// encoder under test. The round trips use QRReader, a decoder written for these tests only.

private let otpauth120 = "otpauth://totp/%E8%BE%85%E6%94%BF:sysadmin?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    + "&issuer=%E8%BE%85%E6%94%BF&digits=6"
private let otpauth200 = "otpauth://totp/辅政:sysadmin@huailai.gov.cn?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    + "GEZDGNBVGY3TQOJQGEZDGNBV&issuer=辅政%20怀来县预算公开平台&algorithm=SHA256&digits=6&period=30&image=none"
private let levels: [QRCode.ErrorCorrection] = [.low, .medium, .quartile, .high]

@Suite("QR code (ISO/IEC 18004)")
struct QRCodeTests {
    // MARK: Reed–Solomon

    @Test("Reed–Solomon: the standard's worked example (Annex I, 1-M)")
    func annexI() {
        // "01234567" in numeric mode: Reed–Solomon works on codewords, whatever mode made them.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11,
                             0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(QRCode.reedSolomon(data, count: 10) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("Reed–Solomon: every block of symbols of every level has zero syndromes", arguments: levels)
    func syndromes(level: QRCode.ErrorCorrection) throws {
        for version in [1, 5, 9, 10, 15, 21, 27, 33, 40] {
            let code = try QRCode.encode(Array("RS".utf8), errorCorrection: level, minVersion: version, mask: 3)
            let decoded = try QRReader.read(code.modules)
            #expect(decoded.version == version)
            // QRReader checks the syndromes; this asserts it saw every block of Table 9.
            #expect(decoded.blockCount == QRReader.blocks(version: version, level).count)
        }
    }

    // MARK: Format and version information

    @Test("format information: Table C.1 for every level and mask, drawn identically in both copies")
    func formatInformation() throws {
        #expect(QRCode.formatInformation(.medium, mask: 0) == 0b101010000010010)
        for level in levels {
            for mask in 0..<8 {
                let expected = Int(QRReader.formatTable[level]![mask], radix: 2)!
                #expect(QRCode.formatInformation(level, mask: mask) == expected, "\(level) mask \(mask)")
                let code = try QRCode.encode(Array("format".utf8), errorCorrection: level, mask: mask)
                let (first, second) = QRReader.formatBits(code.modules)
                #expect(first == expected && second == expected, "\(level) mask \(mask) as drawn")
            }
        }
    }

    @Test("version information: Table D.1 for versions 7–40, drawn in both blocks")
    func versionInformation() throws {
        #expect(QRCode.versionInformation(7) == 0b000111110010010100)
        for version in 7...40 {
            let expected = Int(QRReader.versionTable[version - 7], radix: 2)!
            #expect(QRCode.versionInformation(version) == expected, "version \(version)")
        }
        for version in [7, 8, 20, 40] {
            let code = try QRCode.encode(Array("v".utf8), errorCorrection: .low, minVersion: version, mask: 0)
            let (upperRight, lowerLeft) = QRReader.versionBits(code.modules)
            let expected = Int(QRReader.versionTable[version - 7], radix: 2)!
            #expect(upperRight == expected && lowerLeft == expected, "version \(version)")
        }
        let six = try QRCode.encode(Array("v".utf8), minVersion: 6, mask: 0)
        #expect(QRReader.versionBits(six.modules) == (0, 0), "no version information below version 7")
    }

    // MARK: Structure

    @Test("function patterns: finders, separators, timing, alignment, dark module, size",
          arguments: [1, 2, 6, 7, 14, 22, 32, 40])
    func structure(version: Int) throws {
        let code = try QRCode.encode(Array("structure".utf8), minVersion: version, mask: version % 8)
        let m = code.modules
        let size = 17 + 4 * version
        #expect(code.size == size && m.count == size && m.allSatisfy { $0.count == size })
        for (top, left) in [(0, 0), (0, size - 7), (size - 7, 0)] {
            for r in 0..<7 {
                for c in 0..<7 {
                    let ring = max(abs(r - 3), abs(c - 3))
                    #expect(m[top + r][left + c] == (ring != 2), "finder at (\(top), \(left)) module (\(r), \(c))")
                }
            }
        }
        for i in 0..<8 {
            // The separators: the row and column beside each finder, inside the symbol.
            #expect(!m[7][i] && !m[i][7] && !m[7][size - 1 - i] && !m[i][size - 8])
            #expect(!m[size - 8][i] && !m[size - 1 - i][7])
        }
        for i in 8..<(size - 8) {
            #expect(m[6][i] == (i % 2 == 0), "horizontal timing at column \(i)")
            #expect(m[i][6] == (i % 2 == 0), "vertical timing at row \(i)")
        }
        #expect(m[4 * version + 9][8], "the dark module")
        let positions = QRReader.alignment[version]
        #expect(QRCode.alignmentPositions(version: version) == positions)
        for row in positions {
            for column in positions where !QRReader.overlapsFinder(row: row, column: column, size: size) {
                for dr in -2...2 {
                    for dc in -2...2 {
                        #expect(m[row + dr][column + dc] == (max(abs(dr), abs(dc)) != 1),
                                "alignment pattern at (\(row), \(column))")
                    }
                }
            }
        }
    }

    @Test("alignment pattern centres match Annex E for every version")
    func alignmentPositions() {
        for version in 1...40 {
            #expect(QRCode.alignmentPositions(version: version) == QRReader.alignment[version], "version \(version)")
        }
    }

    // MARK: Round trips

    @Test("round trip through an independent decoder: several lengths, every level", arguments: levels)
    func roundTrip(level: QRCode.ErrorCorrection) throws {
        let payloads: [[UInt8]] = [
            [], [0x41], Array("辅政".utf8), Array("sysadmin@辅政".utf8), Array(0...255),
            Array("怀来县人民政府办公室 2023 年部门预算公开：一般公共预算收入 2001.89 万元".utf8),
            Array(otpauth120.utf8), Array(otpauth200.utf8),
        ]
        #expect(Array(otpauth200.utf8).count == 200)
        for payload in payloads {
            let code = try QRCode.encode(payload, errorCorrection: level)
            let decoded = try QRReader.read(code.modules)
            #expect(decoded.payload == payload, "\(payload.count) bytes at \(level)")
            #expect(decoded.level == level && decoded.mask == code.mask && decoded.version == code.version)
        }
        let uri = "otpauth://totp/辅政:sysadmin?secret=JBSWY3DPEHPK3PXP&issuer=辅政"
        let text = try QRCode.encode(uri, errorCorrection: level)
        #expect(try QRReader.read(text.modules).payload == Array(uri.utf8), "the String overload encodes UTF-8")
    }

    @Test("round trip in every version at every level, each symbol full to capacity", arguments: levels)
    func everyVersion(level: QRCode.ErrorCorrection) throws {
        for version in 1...40 {
            let count = QRReader.byteCapacity[version - 1][level.column]
            let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ version) }
            // The mask is fixed so the test spends its time on the codewords rather than on penalties.
            let code = try QRCode.encode(payload, errorCorrection: level, mask: version % 8)
            #expect(code.version == version, "\(count) bytes at \(level)")
            let decoded = try QRReader.read(code.modules)
            #expect(decoded.payload == payload, "version \(version) \(level)")
        }
    }

    @Test("every mask decodes")
    func everyMask() throws {
        for mask in 0..<8 {
            let code = try QRCode.encode(Array(otpauth120.utf8), errorCorrection: .quartile, mask: mask)
            let decoded = try QRReader.read(code.modules)
            #expect(code.mask == mask && decoded.mask == mask && decoded.payload == Array(otpauth120.utf8))
        }
    }

    // MARK: Version and mask selection

    @Test("byte capacity of every version and level matches Table 7")
    func capacities() {
        for version in 1...40 {
            for level in levels {
                let expected = QRReader.byteCapacity[version - 1][level.column]
                #expect(QRCode.byteCapacity(version: version, level) == expected, "version \(version) \(level)")
            }
        }
    }

    @Test("the smallest version that holds the bytes is chosen, and minVersion is respected", arguments: levels)
    func versionSelection(level: QRCode.ErrorCorrection) throws {
        for version in 1...40 {
            let capacity = QRReader.byteCapacity[version - 1][level.column]
            let full = try QRCode.encode([UInt8](repeating: 0x61, count: capacity), errorCorrection: level, mask: 0)
            #expect(full.version == version, "\(capacity) bytes at \(level)")
            if version < 40 {
                let over = try QRCode.encode([UInt8](repeating: 0x61, count: capacity + 1), errorCorrection: level,
                                             mask: 0)
                #expect(over.version == version + 1, "\(capacity + 1) bytes at \(level)")
            }
        }
        let small = try QRCode.encode([0x61], errorCorrection: level, minVersion: 12, mask: 0)
        #expect(small.version == 12)
        let maximum = QRReader.byteCapacity[39][level.column]
        #expect(throws: QRCode.Failure.tooLong(bytes: maximum + 1, maximum: maximum)) {
            try QRCode.encode([UInt8](repeating: 0, count: maximum + 1), errorCorrection: level)
        }
    }

    @Test("invalid arguments are refused")
    func invalidArguments() {
        #expect(throws: QRCode.Failure.invalidVersion(0)) { try QRCode.encode([1], minVersion: 0) }
        #expect(throws: QRCode.Failure.invalidVersion(41)) { try QRCode.encode([1], minVersion: 41) }
        #expect(throws: QRCode.Failure.invalidMask(8)) { try QRCode.encode([1], mask: 8) }
        #expect(throws: QRCode.Failure.invalidMask(-1)) { try QRCode.encode([1], mask: -1) }
    }

    @Test("the mask with the lowest penalty: the same version and mask as the reference encoder")
    func maskChoice() throws {
        let cases: [(String, QRCode.ErrorCorrection, version: Int, mask: Int)] = [
            ("A", .low, 1, 0),
            ("辅政", .medium, 1, 0),
            ("https://example.org/", .quartile, 2, 5),
            (otpauth120, .medium, 7, 2),
            ("otpauth://totp/辅政:sysadmin?secret=JBSWY3DPEHPK3PXP&issuer=辅政", .medium, 5, 7),
            ("怀来县人民政府办公室 2023 年部门预算", .high, 6, 6),
            (String(repeating: "0123456789", count: 5), .low, 3, 2),
            ("Hello, world!", .high, 2, 2),
            (String(repeating: "x", count: 100), .quartile, 8, 0),
            ("sysadmin@辅政", .low, 1, 6),
            ("otpauth://totp/辅政:sysadmin?secret=JBSWY3DPEHPK3PXP&issuer=辅政", .high, 8, 0),
            (String(repeating: "a", count: 300), .medium, 13, 1),
        ]
        for (text, level, version, mask) in cases {
            let code = try QRCode.encode(text, errorCorrection: level)
            #expect(code.version == version && code.mask == mask, "\(text.utf8.count) bytes at \(level)")
        }
    }

    @Test("whole symbols equal the reference encoder's, module by module (1-M; 7-Q with version information)")
    func goldenSymbols() throws {
        let one = try QRCode.encode("辅政", errorCorrection: .medium)
        #expect(one.version == 1 && one.mask == 0)
        #expect(Self.picture(one.modules) == [
            "#######..##.#.#######",
            "#.....#.####..#.....#",
            "#.###.#..##.#.#.###.#",
            "#.###.#..#.#..#.###.#",
            "#.###.#.##.##.#.###.#",
            "#.....#....#..#.....#",
            "#######.#.#.#.#######",
            ".........#...........",
            "#.#.#.#...#.#...#..#.",
            "##.#....#.##.#.#..#.#",
            ".#..######.#.###.....",
            "#.###..#.#####.#####.",
            "#....##..#.#.###..#..",
            "........##....##...##",
            "#######.....#...####.",
            "#.....#...#...#.#.###",
            "#.###.#.#...#.##...##",
            "#.###.#..###.#..#..#.",
            "#.###.#.#..#.##.....#",
            "#.....#..#.###.#.###.",
            "#######.#.##.########",
        ])
        let seven = try QRCode.encode("otpauth://totp/辅政:sysadmin?secret=JBSWY3DPEHPK3PXP&issuer=辅政",
                                      errorCorrection: .quartile, minVersion: 7)
        #expect(seven.version == 7 && seven.mask == 1)
        #expect(Self.picture(seven.modules) == [
            "#######....##.##..#.#...###.###..#..#.#######",
            "#.....#...##..###....#..##....###..#..#.....#",
            "#.###.#...#####.#.#.#.###..#.#####.#..#.###.#",
            "#.###.#.#.##.....#.#....#.##.#####.##.#.###.#",
            "#.###.#..#.#..#.##.######..#..##.####.#.###.#",
            "#.....#.#####..#..###...#..#.#####....#.....#",
            "#######.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#######",
            "........#..#...##.###...#..#.#.#..#.#........",
            ".##...#...#.#.#..##.#####...####.###..##.#...",
            "######.#...#....##.#.#.###..#...#.##.#....#.#",
            ".#.####.#.##....####......###...#...##.##.#.#",
            "..##.#.#.#.####.###...###.#.#..#...#.##....#.",
            "####..#.#..##.##...##.#.#.#.###.#.#.##.......",
            "###....##.#.###.##..#..###.#.#.##...#.#.#...#",
            ".#..###...####.#.#.###..#..##.###.##.##....##",
            "...#...#.#..#.###.###.##.#####.###.#.#####...",
            "##.##.#####.##.#.#.##.#.##..###.###.....#..##",
            "#....#..#.##..#...#..#...####.##.#.#.#.#.##.#",
            "###.####.###...#..#.###..##.....##..#...##..#",
            ".#...#..#.###......#...#...#...###.#...#.##..",
            ".#.#######......##..#####.###.#.###########.#",
            "....#...#.#.###.#.###...#..#....#.#.#...####.",
            "#...#.#.#.##....#.#.#.#.#.###.##....#.#.#..##",
            ".#.##...#.#..##.##.##...#....##.#..##...##.#.",
            "#.#########...###.#########....##..######..##",
            "...#.#..##.#......#..##.#.#.##..##.##..#.####",
            "##.#..######.###.###.##..##....#....#.###...#",
            "..####....#.#..#.##.#######.#.##...##..#.####",
            "#...###.#.#..#.#...#.#.##..##.#####..##..#.##",
            "..#.##.#.##...#..##.#.#...#..#.#.#..#.#...##.",
            "#######..#.##...##.#....#####..####.####..#.#",
            "..#......##.#.......####.....##.###.######.##",
            "##.#..#.#.#......#.....#..#.#.#..#.#.##..#..#",
            "..####...##.#.#.......##..#.##.#..#.##..#...#",
            "....#.#....##.....##########.##.#########...#",
            ".####..#.#.#....#.#.#.###.#.#.########..##...",
            "#..##.#...#.##..#.#########.######.########.#",
            "........#..#..#...###...##.###.######...##.##",
            "#######...#.#..#.####.#.#.###.##.##.#.#.#.#.#",
            "#.....#..##....#.##.#...#.#.###.#.#.#...##...",
            "#.###.#...##..#.#.#######.#.#...##########..#",
            "#.###.#..#..##...######.###.....#...#..##....",
            "#.###.#.###..##.#..##..####.#####.....#.#.#.#",
            "#.....#.##########.#.........#######.#.......",
            "#######..###########.###.##..#.##...#...#.#.#",
        ])
    }

    static func picture(_ modules: [[Bool]]) -> [String] {
        modules.map { String($0.map { $0 ? "#" : "." }) }
    }

    // MARK: SVG

    @Test("SVG: size in pixels, viewBox in modules, white quiet zone, one path of the dark modules, escaped title")
    func svg() throws {
        let code = try QRCode.encode(otpauth120)
        let svg = code.svg(moduleSize: 3, quietZone: 4, title: "辅政 <sysadmin> & \"TOTP\"")
        let extent = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(extent * 3)\" "
            + "height=\"\(extent * 3)\" viewBox=\"0 0 \(extent) \(extent)\""))
        #expect(svg.contains("role=\"img\"") && svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("<title>辅政 &lt;sysadmin&gt; &amp; &quot;TOTP&quot;</title>"))
        #expect(svg.contains("<rect width=\"\(extent)\" height=\"\(extent)\" fill=\"#fff\"/>"))
        #expect(svg.components(separatedBy: "<path").count == 2 && svg.hasSuffix("</svg>"))
        #expect(Self.modules(fromSVG: svg, size: code.size, quietZone: 4) == code.modules)

        let bare = code.svg(moduleSize: 1, quietZone: 0, title: "t")
        #expect(bare.contains("width=\"\(code.size)\"") && Self.modules(fromSVG: bare, size: code.size, quietZone: 0)
            == code.modules)
    }

    /// Paints the path's `M x y h n v1 h -n z` rectangles back onto a grid.
    static func modules(fromSVG svg: String, size: Int, quietZone: Int) -> [[Bool]]? {
        guard let start = svg.range(of: " d=\""), let end = svg[start.upperBound...].firstIndex(of: "\"") else {
            return nil
        }
        var grid = Array(repeating: Array(repeating: false, count: size), count: size)
        for command in svg[start.upperBound..<end].split(separator: "z") {
            let numbers = command.split(whereSeparator: { "Mhv -".contains($0) }).compactMap { Int($0) }
            guard numbers.count == 5, numbers[3] == 1, numbers[2] == numbers[4], command.hasPrefix("M") else {
                return nil
            }
            let (x, y, length) = (numbers[0] - quietZone, numbers[1] - quietZone, numbers[2])
            guard (0..<size).contains(y), x >= 0, x + length <= size else { return nil }
            for column in x..<(x + length) { grid[y][column] = true }
        }
        return grid
    }
}

extension QRCode.ErrorCorrection {
    /// The column of the level in the tables below: L, M, Q, H.
    var column: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }
}

/// A QR code reader for error-free symbols, written for these tests from the standard's description and
/// tables, sharing no code with the encoder: it reads and checks the format and version information, takes the
/// function patterns out, unmasks, reads the codewords in placement order, de-interleaves the blocks, requires
/// every block's Reed–Solomon syndromes to be zero, and parses the byte-mode segment, terminator and padding.
enum QRReader {
    struct Decoded {
        var version: Int
        var level: QRCode.ErrorCorrection
        var mask: Int
        var blockCount: Int
        var payload: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ m: [[Bool]]) throws -> Decoded {
        let size = m.count
        guard size >= 21, (size - 17) % 4 == 0, size <= 177, m.allSatisfy({ $0.count == size }) else {
            throw Failure(description: "not a QR code matrix: \(size) rows")
        }
        let version = (size - 17) / 4

        let (first, second) = formatBits(m)
        guard first == second else { throw Failure(description: "the two format copies differ") }
        let format = String(first, radix: 2).leftPadded(to: 15)
        guard let (level, mask) = formatTable.lazy.compactMap({ entry in
            entry.value.firstIndex(of: format).map { (entry.key, $0) }
        }).first else { throw Failure(description: "format bits \(format) are not in Table C.1") }

        if version >= 7 {
            let expected = Int(versionTable[version - 7], radix: 2)!
            guard versionBits(m) == (expected, expected) else {
                throw Failure(description: "version information does not say version \(version)")
            }
        }

        let isFunction = functionModules(version: version)
        let groups = blocks(version: version, level)
        let total = groups.reduce(0) { $0 + $1.total }
        let dataModules = isFunction.joined().filter { !$0 }.count
        let remainder: Int = switch version {
        case 2...6: 7
        case 14...20, 28...34: 3
        case 21...27: 4
        default: 0
        }
        guard dataModules == total * 8 + remainder else {
            throw Failure(description: "\(dataModules) data modules for \(total) codewords + \(remainder) bits")
        }

        // Two-module columns from the right edge, upwards first, then alternating; column 6 is timing.
        var bits: [Bool] = []
        var upward = true
        var right = size - 1
        while right > 0 {
            if right == 6 { right = 5 }
            for k in 0..<size {
                let row = upward ? size - 1 - k : k
                for column in [right, right - 1] where !isFunction[row][column] {
                    bits.append(m[row][column] != maskConditions[mask](row, column))
                }
            }
            upward.toggle()
            right -= 2
        }
        guard bits[(total * 8)...].allSatisfy({ !$0 }) else { throw Failure(description: "remainder bits not 0") }
        let codewords = (0..<total).map { i in
            bits[(i * 8)..<(i * 8 + 8)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }

        // De-interleave: data codewords column by column across the blocks, then the EC codewords likewise.
        var blockData = groups.map { _ in [UInt8]() }
        var blockEC = groups.map { _ in [UInt8]() }
        var next = 0
        for i in 0..<(groups.map(\.data).max()!) {
            for (b, group) in groups.enumerated() where i < group.data {
                blockData[b].append(codewords[next])
                next += 1
            }
        }
        let ecCount = groups[0].total - groups[0].data
        for _ in 0..<ecCount {
            for b in groups.indices {
                blockEC[b].append(codewords[next])
                next += 1
            }
        }
        for b in groups.indices {
            let word = blockData[b] + blockEC[b]
            var alpha: UInt8 = 1
            for j in 0..<ecCount {
                guard word.reduce(UInt8(0), { multiply($0, alpha) ^ $1 }) == 0 else {
                    throw Failure(description: "block \(b): syndrome S\(j) is not zero")
                }
                alpha = multiply(alpha, 2)
            }
        }

        let payload = try parseByteMode(blockData.joined().map { $0 }, version: version)
        return Decoded(version: version, level: level, mask: mask, blockCount: groups.count, payload: payload)
    }

    /// The two 15-bit format copies, bit 0 least significant (Figure 25).
    static func formatBits(_ m: [[Bool]]) -> (Int, Int) {
        let size = m.count
        let upperLeft = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8),
                         (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
        let split = (0..<8).map { (8, size - 1 - $0) } + (0..<7).map { (size - 7 + $0, 8) }
        return (number(upperLeft.map { m[$0.0][$0.1] }), number(split.map { m[$0.0][$0.1] }))
    }

    /// The two 18-bit version blocks (Figure 27), or zeros where there are none.
    static func versionBits(_ m: [[Bool]]) -> (Int, Int) {
        let size = m.count
        guard size >= 45 else { return (0, 0) }
        let upperRight = (0..<18).map { m[$0 / 3][size - 11 + $0 % 3] }
        let lowerLeft = (0..<18).map { m[size - 11 + $0 % 3][$0 / 3] }
        return (number(upperRight), number(lowerLeft))
    }

    private static func number(_ bits: [Bool]) -> Int {
        bits.enumerated().reduce(0) { $0 | ($1.element ? 1 << $1.offset : 0) }
    }

    static func overlapsFinder(row: Int, column: Int, size: Int) -> Bool {
        let nearStart = { (p: Int) in p - 2 < 9 }
        let nearEnd = { (p: Int) in p + 2 >= size - 8 }
        return (nearStart(row) && nearStart(column)) || (nearStart(row) && nearEnd(column))
            || (nearEnd(row) && nearStart(column))
    }

    /// Finder patterns with separators and format areas, timing, alignment, dark module, version areas.
    static func functionModules(version: Int) -> [[Bool]] {
        let size = 17 + 4 * version
        var f = Array(repeating: Array(repeating: false, count: size), count: size)
        for r in 0..<size {
            for c in 0..<size {
                let corner = (r < 9 && c < 9) || (r < 9 && c >= size - 8) || (r >= size - 8 && c < 9)
                let versionArea = version >= 7
                    && ((r < 6 && c >= size - 11 && c < size - 8) || (c < 6 && r >= size - 11 && r < size - 8))
                f[r][c] = corner || r == 6 || c == 6 || versionArea
            }
        }
        for row in alignment[version] {
            for column in alignment[version] where !overlapsFinder(row: row, column: column, size: size) {
                for r in (row - 2)...(row + 2) {
                    for c in (column - 2)...(column + 2) { f[r][c] = true }
                }
            }
        }
        return f
    }

    /// Table 10, i = row, j = column: where the condition holds the module is inverted.
    static let maskConditions: [@Sendable (Int, Int) -> Bool] = [
        { i, j in (i + j) % 2 == 0 },
        { i, _ in i % 2 == 0 },
        { _, j in j % 3 == 0 },
        { i, j in (i + j) % 3 == 0 },
        { i, j in (i / 2 + j / 3) % 2 == 0 },
        { i, j in (i * j) % 2 + (i * j) % 3 == 0 },
        { i, j in ((i * j) % 2 + (i * j) % 3) % 2 == 0 },
        { i, j in ((i + j) % 2 + (i * j) % 3) % 2 == 0 },
    ]

    /// GF(256) with x⁸ + x⁴ + x³ + x² + 1, by shift and add: slower than tables, and shares nothing with them.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var (a, b, product) = (UInt16(a), b, UInt16(0))
        while b != 0 {
            if b & 1 == 1 { product ^= a }
            a <<= 1
            if a & 0x100 != 0 { a ^= 0x11D }
            b >>= 1
        }
        return UInt8(product)
    }

    /// Mode 0100, the count, the bytes, then what the standard requires after them: a terminator of up to four
    /// zero bits, zero bits to the codeword boundary, and 11101100 / 00010001 alternately to the end.
    static func parseByteMode(_ data: [UInt8], version: Int) throws -> [UInt8] {
        var position = 0
        func take(_ n: Int) throws -> Int {
            guard position + n <= data.count * 8 else { throw Failure(description: "bit stream ends early") }
            var value = 0
            for _ in 0..<n {
                value = value << 1 | Int((data[position / 8] >> (7 - UInt8(position % 8))) & 1)
                position += 1
            }
            return value
        }
        guard try take(4) == 0b0100 else { throw Failure(description: "mode is not byte mode") }
        let count = try take(version <= 9 ? 8 : 16)
        let payload = try (0..<count).map { _ in UInt8(try take(8)) }
        let terminator = min(4, data.count * 8 - position)
        guard try take(terminator) == 0 else { throw Failure(description: "terminator is not zero") }
        guard try take((8 - position % 8) % 8) == 0 else { throw Failure(description: "padding bits not zero") }
        for (i, byte) in data[(position / 8)...].enumerated() where byte != (i % 2 == 0 ? 0xEC : 0x11) {
            throw Failure(description: "pad codeword \(i) is \(byte)")
        }
        return payload
    }

    /// Table 9 as (blocks × total codewords / data codewords) per level L, M, Q, H, one line per version.
    private static let blockTable: [String] = [
        "1*26/19, 1*26/16, 1*26/13, 1*26/9",
        "1*44/34, 1*44/28, 1*44/22, 1*44/16",
        "1*70/55, 1*70/44, 2*35/17, 2*35/13",
        "1*100/80, 2*50/32, 2*50/24, 4*25/9",
        "1*134/108, 2*67/43, 2*33/15 2*34/16, 2*33/11 2*34/12",
        "2*86/68, 4*43/27, 4*43/19, 4*43/15",
        "2*98/78, 4*49/31, 2*32/14 4*33/15, 4*39/13 1*40/14",
        "2*121/97, 2*60/38 2*61/39, 4*40/18 2*41/19, 4*40/14 2*41/15",
        "2*146/116, 3*58/36 2*59/37, 4*36/16 4*37/17, 4*36/12 4*37/13",
        "2*86/68 2*87/69, 4*69/43 1*70/44, 6*43/19 2*44/20, 6*43/15 2*44/16",
        "4*101/81, 1*80/50 4*81/51, 4*50/22 4*51/23, 3*36/12 8*37/13",
        "2*116/92 2*117/93, 6*58/36 2*59/37, 4*46/20 6*47/21, 7*42/14 4*43/15",
        "4*133/107, 8*59/37 1*60/38, 8*44/20 4*45/21, 12*33/11 4*34/12",
        "3*145/115 1*146/116, 4*64/40 5*65/41, 11*36/16 5*37/17, 11*36/12 5*37/13",
        "5*109/87 1*110/88, 5*65/41 5*66/42, 5*54/24 7*55/25, 11*36/12 7*37/13",
        "5*122/98 1*123/99, 7*73/45 3*74/46, 15*43/19 2*44/20, 3*45/15 13*46/16",
        "1*135/107 5*136/108, 10*74/46 1*75/47, 1*50/22 15*51/23, 2*42/14 17*43/15",
        "5*150/120 1*151/121, 9*69/43 4*70/44, 17*50/22 1*51/23, 2*42/14 19*43/15",
        "3*141/113 4*142/114, 3*70/44 11*71/45, 17*47/21 4*48/22, 9*39/13 16*40/14",
        "3*135/107 5*136/108, 3*67/41 13*68/42, 15*54/24 5*55/25, 15*43/15 10*44/16",
        "4*144/116 4*145/117, 17*68/42, 17*50/22 6*51/23, 19*46/16 6*47/17",
        "2*139/111 7*140/112, 17*74/46, 7*54/24 16*55/25, 34*37/13",
        "4*151/121 5*152/122, 4*75/47 14*76/48, 11*54/24 14*55/25, 16*45/15 14*46/16",
        "6*147/117 4*148/118, 6*73/45 14*74/46, 11*54/24 16*55/25, 30*46/16 2*47/17",
        "8*132/106 4*133/107, 8*75/47 13*76/48, 7*54/24 22*55/25, 22*45/15 13*46/16",
        "10*142/114 2*143/115, 19*74/46 4*75/47, 28*50/22 6*51/23, 33*46/16 4*47/17",
        "8*152/122 4*153/123, 22*73/45 3*74/46, 8*53/23 26*54/24, 12*45/15 28*46/16",
        "3*147/117 10*148/118, 3*73/45 23*74/46, 4*54/24 31*55/25, 11*45/15 31*46/16",
        "7*146/116 7*147/117, 21*73/45 7*74/46, 1*53/23 37*54/24, 19*45/15 26*46/16",
        "5*145/115 10*146/116, 19*75/47 10*76/48, 15*54/24 25*55/25, 23*45/15 25*46/16",
        "13*145/115 3*146/116, 2*74/46 29*75/47, 42*54/24 1*55/25, 23*45/15 28*46/16",
        "17*145/115, 10*74/46 23*75/47, 10*54/24 35*55/25, 19*45/15 35*46/16",
        "17*145/115 1*146/116, 14*74/46 21*75/47, 29*54/24 19*55/25, 11*45/15 46*46/16",
        "13*145/115 6*146/116, 14*74/46 23*75/47, 44*54/24 7*55/25, 59*46/16 1*47/17",
        "12*151/121 7*152/122, 12*75/47 26*76/48, 39*54/24 14*55/25, 22*45/15 41*46/16",
        "6*151/121 14*152/122, 6*75/47 34*76/48, 46*54/24 10*55/25, 2*45/15 64*46/16",
        "17*152/122 4*153/123, 29*74/46 14*75/47, 49*54/24 10*55/25, 24*45/15 46*46/16",
        "4*152/122 18*153/123, 13*74/46 32*75/47, 48*54/24 14*55/25, 42*45/15 32*46/16",
        "20*147/117 4*148/118, 40*75/47 7*76/48, 43*54/24 22*55/25, 10*45/15 67*46/16",
        "19*148/118 6*149/119, 18*75/47 31*76/48, 34*54/24 34*55/25, 20*45/15 61*46/16",
    ]

    /// The blocks of a version and level in order, short ones first.
    static func blocks(version: Int, _ level: QRCode.ErrorCorrection) -> [(total: Int, data: Int)] {
        let groups = blockTable[version - 1].split(separator: ",")[level.column].split(separator: " ")
        return groups.flatMap { group -> [(total: Int, data: Int)] in
            let numbers = group.split(whereSeparator: { $0 == "*" || $0 == "/" }).map { Int($0)! }
            return Array(repeating: (numbers[1], numbers[2]), count: numbers[0])
        }
    }

    /// Table 7, byte mode: L, M, Q, H per version.
    static let byteCapacity: [[Int]] = [
        [17, 14, 11, 7], [32, 26, 20, 14], [53, 42, 32, 24], [78, 62, 46, 34],
        [106, 84, 60, 44], [134, 106, 74, 58], [154, 122, 86, 64], [192, 152, 108, 84],
        [230, 180, 130, 98], [271, 213, 151, 119], [321, 251, 177, 137], [367, 287, 203, 155],
        [425, 331, 241, 177], [458, 362, 258, 194], [520, 412, 292, 220], [586, 450, 322, 250],
        [644, 504, 364, 280], [718, 560, 394, 310], [792, 624, 442, 338], [858, 666, 482, 382],
        [929, 711, 509, 403], [1003, 779, 565, 439], [1091, 857, 611, 461], [1171, 911, 661, 511],
        [1273, 997, 715, 535], [1367, 1059, 751, 593], [1465, 1125, 805, 625], [1528, 1190, 868, 658],
        [1628, 1264, 908, 698], [1732, 1370, 982, 742], [1840, 1452, 1030, 790], [1952, 1538, 1112, 842],
        [2068, 1628, 1168, 898], [2188, 1722, 1228, 958], [2303, 1809, 1283, 983], [2431, 1911, 1351, 1051],
        [2563, 1989, 1423, 1093], [2699, 2099, 1499, 1139], [2809, 2213, 1579, 1219], [2953, 2331, 1663, 1273],
    ]

    /// Annex E: the row/column coordinates of the alignment pattern centres, by version (index 0 unused).
    static let alignment: [[Int]] = [[], []] + [
        [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
        [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74],
        [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90], [6, 28, 50, 72, 94],
        [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110],
        [6, 30, 58, 86, 114], [6, 34, 62, 90, 118], [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126],
        [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138],
        [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146], [6, 30, 54, 78, 102, 126, 150],
        [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158], [6, 32, 58, 84, 110, 136, 162],
        [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    /// Table C.1: the format information bit sequences (after the XOR) for masks 0–7.
    static let formatTable: [QRCode.ErrorCorrection: [String]] = [
        .low: ["111011111000100", "111001011110011", "111110110101010", "111100010011101",
                "110011000101111", "110001100011000", "110110001000001", "110100101110110"],
        .medium: ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                "100010111111001", "100000011001110", "100111110010111", "100101010100000"],
        .quartile: ["011010101011111", "011000001101000", "011111100110001", "011101000000110",
                "010010010110100", "010000110000011", "010111011011010", "010101111101101"],
        .high: ["001011010001001", "001001110111110", "001110011100111", "001100111010000",
                "000011101100010", "000001001010101", "000110100001100", "000100000111011"],
    ]

    /// Table D.1: the version information bit sequences for versions 7–40.
    static let versionTable: [String] = [
        "000111110010010100", "001000010110111100", "001001101010011001", "001010010011010011", "001011101111110110",
        "001100011101100010", "001101100001000111", "001110011000001101", "001111100100101000", "010000101101111000",
        "010001010001011101", "010010101000010111", "010011010100110010", "010100100110100110", "010101011010000011",
        "010110100011001001", "010111011111101100", "011000111011000100", "011001000111100001", "011010111110101011",
        "011011000010001110", "011100110000011010", "011101001100111111", "011110110101110101", "011111001001010000",
        "100000100111010101", "100001011011110000", "100010100010111010", "100011011110011111", "100100101100001011",
        "100101010000101110", "100110101001100100", "100111010101000001", "101000110001101001",
    ]
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
