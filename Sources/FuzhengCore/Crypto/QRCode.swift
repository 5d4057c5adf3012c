/// A QR Code symbol (ISO/IEC 18004:2015), model 2, byte mode, versions 1–40, drawn as SVG on the server.
///
/// Written here because the platform takes no dependency for it, and kept to byte mode because its one use,
/// a TOTP enrolment URI, is UTF-8 with lower case and punctuation that the denser modes cannot hold; mixing in
/// an alphanumeric segment for the Base32 secret would save a few modules at the cost of a segmenter.
/// No ECI header is written: readers commonly take byte mode as UTF-8, and not all of them understand ECI.
public struct QRCode: Sendable {
    public enum ErrorCorrection: Sendable, CaseIterable, Hashable {
        case low, medium, quartile, high

        /// The level's two bits in the format information (Table 12). Their order is not the order of
        /// strength, so they cannot be derived from the case's position.
        public var formatBits: Int {
            switch self {
            case .low: 0b01
            case .medium: 0b00
            case .quartile: 0b11
            case .high: 0b10
            }
        }

        fileprivate var tableRow: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// More bytes than the largest allowed version holds at this level.
        case tooLong(bytes: Int, maximum: Int)
        case invalidVersion(Int)
        case invalidMask(Int)
    }

    public static let versions = 1...40

    public let version: Int
    public let errorCorrection: ErrorCorrection
    /// The data mask pattern, 0–7 (Table 10).
    public let mask: Int
    /// Modules per side: 17 + 4 × version.
    public let size: Int
    /// Row-major, `modules[row][column]`, true = dark; the quiet zone is not included.
    public let modules: [[Bool]]

    /// Encodes `bytes` in byte mode in the smallest version ≥ `minVersion` that holds them. `mask` forces a
    /// data mask (for tests and cross-checks); without it the mask with the lowest penalty is chosen.
    public static func encode(
        _ bytes: [UInt8], errorCorrection: ErrorCorrection = .medium, minVersion: Int = 1, mask: Int? = nil
    ) throws(QRCode.Failure) -> QRCode {
        guard versions.contains(minVersion) else { throw .invalidVersion(minVersion) }
        if let mask, !(0...7).contains(mask) { throw .invalidMask(mask) }
        let level = errorCorrection
        guard let version = (minVersion...40).first(where: { bytes.count <= byteCapacity(version: $0, level) }) else {
            throw .tooLong(bytes: bytes.count, maximum: byteCapacity(version: 40, level))
        }
        let codewords = interleavedCodewords(dataCodewords(bytes, version: version, level), version: version, level)

        var grid = Grid(version: version)
        grid.placeCodewords(codewords)
        let chosen: Int
        if let mask {
            chosen = mask
        } else {
            // Strictly lower wins, so on a tie the lower-numbered mask is kept, as reference encoders do.
            var best = (mask: 0, penalty: Int.max)
            for candidate in 0..<8 {
                let penalty = Penalty.score(grid.masked(candidate), size: grid.size)
                if penalty < best.penalty { best = (candidate, penalty) }
            }
            chosen = best.mask
        }
        grid.dark = grid.masked(chosen)
        // Format and version information (and the dark module) are drawn only after the mask is chosen, as
        // the standard orders the steps (7.1, steps 6 and 7): the penalty is scored with those modules light.
        grid.drawFormatInformation(formatInformation(level, mask: chosen))
        grid.drawVersionInformation()

        let size = grid.size
        let modules = (0..<size).map { row in Array(grid.dark[(row * size)..<(row * size + size)]) }
        return QRCode(version: version, errorCorrection: level, mask: chosen, size: size, modules: modules)
    }

    /// Encodes the text's UTF-8 bytes.
    public static func encode(
        _ text: String, errorCorrection: ErrorCorrection = .medium, minVersion: Int = 1, mask: Int? = nil
    ) throws(QRCode.Failure) -> QRCode {
        try encode(Array(text.utf8), errorCorrection: errorCorrection, minVersion: minVersion, mask: mask)
    }

    /// How many bytes a symbol of this version and level holds in byte mode.
    public static func byteCapacity(version: Int, _ level: ErrorCorrection) -> Int {
        guard versions.contains(version) else { return 0 }
        return (dataCodewordCount(version: version, level) * 8 - 4 - characterCountBits(version)) / 8
    }

    /// The 15 format information bits (7.9.1): level and mask, a BCH(15,5) code, XOR 101010000010010.
    public static func formatInformation(_ level: ErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | (mask & 7)
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version information bits (7.10) for versions 7–40: the version and a BCH(18,6) code.
    public static func versionInformation(_ version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }

    /// The `count` error correction codewords of one block: the remainder of data(x) · x^count divided by
    /// the generator (x − α⁰)…(x − α^(count−1)) over GF(256) with the field polynomial 0x11D.
    public static func reedSolomon(_ data: [UInt8], count: Int) -> [UInt8] {
        let divisor = GF256.generator(degree: count)
        var remainder = [UInt8](repeating: 0, count: count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for i in 0..<count { remainder[i] ^= GF256.multiply(divisor[i], factor) }
        }
        return remainder
    }

    /// The centres of the alignment patterns along each axis (Annex E); none in version 1.
    public static func alignmentPositions(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        // Annex E's table follows one rule: the patterns are spaced evenly back from the last one (7 modules
        // from the far edge) to column 6, with the step an even number rounded up.
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        return [6] + (1..<count).map { size - 7 - (count - 1 - $0) * step }
    }

    /// An SVG of the symbol: one path of unit squares in a viewBox in module units, a white background that
    /// includes the quiet zone, and the title (escaped) as the image's accessible name.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, title: String) -> String {
        // A module smaller than one pixel, or a negative margin, would draw a code no camera can read.
        let unit = max(1, moduleSize)
        let quiet = max(0, quietZone)
        let extent = size + 2 * quiet
        let pixels = extent * unit
        var path = ""
        path.reserveCapacity(size * size * 3)
        for (row, line) in modules.enumerated() {
            var column = 0
            while column < size {
                guard line[column] else { column += 1; continue }
                var end = column
                while end < size && line[end] { end += 1 }
                // A run of dark modules is one rectangle: a quarter of the squares' path length.
                path += "M\(column + quiet) \(row + quiet)h\(end - column)v1h-\(end - column)z"
                column = end
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(pixels)\" height=\"\(pixels)\" "
            + "viewBox=\"0 0 \(extent) \(extent)\" role=\"img\" shape-rendering=\"crispEdges\">"
            + "<title>\(Markup.escape(title))</title>"
            + "<rect width=\"\(extent)\" height=\"\(extent)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/></svg>"
    }
}

// MARK: - Codewords

extension QRCode {
    // Error correction codewords per block and number of blocks, by level (L, M, Q, H) and version (Table 9).
    // Index 0 is unused so that the version is the index. The split into blocks of two lengths follows from
    // these and the number of codewords the version holds, so it needs no table of its own.
    private static let ecCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let blockCounts: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules left for codewords and remainder bits once the function patterns and the format and version
    /// information are taken out.
    static func rawDataModules(version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignment = version / 7 + 2
            modules -= (25 * alignment - 10) * alignment - 55
            if version >= 7 { modules -= 36 }
        }
        return modules
    }

    static func dataCodewordCount(version: Int, _ level: ErrorCorrection) -> Int {
        rawDataModules(version: version) / 8
            - ecCodewordsPerBlock[level.tableRow][version] * blockCounts[level.tableRow][version]
    }

    /// Bits of the byte-mode character count indicator (Table 3).
    static func characterCountBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Mode indicator, count, the bytes, terminator, zero bits to a byte boundary, then the pad codewords
    /// 11101100 and 00010001 alternately (7.4.10) up to the version's data capacity.
    static func dataCodewords(_ bytes: [UInt8], version: Int, _ level: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, level)
        var writer = BitWriter()
        writer.append(0b0100, bits: 4)
        writer.append(bytes.count, bits: characterCountBits(version))
        for byte in bytes { writer.append(Int(byte), bits: 8) }
        writer.append(0, bits: min(4, capacity * 8 - writer.count))
        writer.append(0, bits: (8 - writer.count % 8) % 8)
        var codewords = writer.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks (the shorter ones first), adds each block's error correction codewords,
    /// and interleaves: the data codewords column by column across blocks, then the EC codewords (7.6).
    static func interleavedCodewords(_ data: [UInt8], version: Int, _ level: ErrorCorrection) -> [UInt8] {
        let blockCount = blockCounts[level.tableRow][version]
        let ecCount = ecCodewordsPerBlock[level.tableRow][version]
        let total = rawDataModules(version: version) / 8
        let shortBlocks = blockCount - total % blockCount
        let shortDataLength = total / blockCount - ecCount

        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blockCount {
            let length = shortDataLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[start..<(start + length)])
            start += length
            dataBlocks.append(block)
            ecBlocks.append(reedSolomon(block, count: ecCount))
        }
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for i in 0...shortDataLength {
            for block in dataBlocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<ecCount {
            for block in ecBlocks { result.append(block[i]) }
        }
        return result
    }
}

private struct BitWriter {
    var bytes: [UInt8] = []
    var count = 0

    mutating func append(_ value: Int, bits: Int) {
        for shift in stride(from: bits - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[count / 8] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

private enum GF256 {
    /// exp[i] = α^i for i in 0..<510 (doubled so a product needs no modulo), log[α^i] = i.
    static let tables: (exp: [UInt8], log: [Int]) = {
        var exp = [UInt8](repeating: 0, count: 510)
        var log = [Int](repeating: 0, count: 256)
        var value = 1
        for i in 0..<255 {
            exp[i] = UInt8(value)
            exp[i + 255] = UInt8(value)
            log[value] = i
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return (exp, log)
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return tables.exp[tables.log[Int(a)] + tables.log[Int(b)]]
    }

    /// Coefficients of (x − α⁰)…(x − α^(degree−1)) below the leading 1, highest power first.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                coefficients[j] = multiply(coefficients[j], root)
                if j + 1 < degree { coefficients[j] ^= coefficients[j + 1] }
            }
            root = multiply(root, 2)
        }
        return coefficients
    }
}

// MARK: - The matrix

private struct Grid {
    let version: Int
    let size: Int
    /// Row-major, index = row × size + column.
    var dark: [Bool]
    /// Modules that are not data: function patterns and the reserved format and version areas.
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)

        for i in 0..<size {
            set(row: 6, column: i, i % 2 == 0)
            set(row: i, column: 6, i % 2 == 0)
        }
        for (row, column) in [(3, 3), (3, size - 4), (size - 4, 3)] { drawFinder(row: row, column: column) }
        let positions = QRCode.alignmentPositions(version: version)
        let last = positions.count - 1
        for (i, row) in positions.enumerated() {
            for (j, column) in positions.enumerated() {
                // The three corners where an alignment pattern would overlap a finder pattern stay empty.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { set(row: row + dy, column: column + dx, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Reserved, light until the mask is chosen: both copies of the format information, the dark module,
        // and for version 7 and above both copies of the version information.
        for i in 0..<9 {
            reserve(row: 8, column: i)
            reserve(row: i, column: 8)
        }
        for i in 0..<8 {
            reserve(row: 8, column: size - 1 - i)
            reserve(row: size - 1 - i, column: 8)
        }
        if version >= 7 {
            for i in 0..<18 {
                reserve(row: i / 3, column: size - 11 + i % 3)
                reserve(row: size - 11 + i % 3, column: i / 3)
            }
        }
    }

    private mutating func set(row: Int, column: Int, _ value: Bool) {
        dark[row * size + column] = value
        isFunction[row * size + column] = true
    }

    private mutating func reserve(row: Int, column: Int) {
        // The timing patterns cross the format areas at (6, 8) and (8, 6) and keep their modules.
        if isFunction[row * size + column] && (row == 6 || column == 6) { return }
        set(row: row, column: column, false)
    }

    /// The 7×7 pattern and its light separator, clipped at the symbol's edge.
    private mutating func drawFinder(row: Int, column: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let r = row + dy, c = column + dx
                guard (0..<size).contains(r), (0..<size).contains(c) else { continue }
                let ring = max(abs(dx), abs(dy))
                set(row: r, column: c, ring != 2 && ring != 4)
            }
        }
    }

    /// Bits most significant first, in two-module columns from the right, upwards then downwards, skipping
    /// the vertical timing pattern (7.7.3). Modules left over are the remainder bits, which are 0.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let row = upward ? size - 1 - step : step
                for column in [right, right - 1] where !isFunction[row * size + column] && index < bitCount {
                    dark[row * size + column] = (codewords[index >> 3] >> UInt8(7 - (index & 7))) & 1 == 1
                    index += 1
                }
            }
            right -= 2
        }
    }

    /// The modules with the data mask applied to every non-function module (Table 10; i = row, j = column).
    func masked(_ mask: Int) -> [Bool] {
        var result = dark
        for i in 0..<size {
            for j in 0..<size where !isFunction[i * size + j] {
                let invert = switch mask {
                case 0: (i + j) % 2 == 0
                case 1: i % 2 == 0
                case 2: j % 3 == 0
                case 3: (i + j) % 3 == 0
                case 4: (i / 2 + j / 3) % 2 == 0
                case 5: (i * j) % 2 + (i * j) % 3 == 0
                case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
                default: ((i + j) % 2 + (i * j) % 3) % 2 == 0
                }
                if invert { result[i * size + j].toggle() }
            }
        }
        return result
    }

    /// Bit 0 is the least significant: down column 8 from the top and leftwards along row 8 from the right
    /// edge; bit 14 ends at the left edge of row 8 and at the bottom of column 8 (Figure 25).
    mutating func drawFormatInformation(_ bits: Int) {
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(row: i, column: 8, bit(i)) }
        set(row: 7, column: 8, bit(6))
        set(row: 8, column: 8, bit(7))
        set(row: 8, column: 7, bit(8))
        for i in 9..<15 { set(row: 8, column: 14 - i, bit(i)) }
        for i in 0..<8 { set(row: 8, column: size - 1 - i, bit(i)) }
        for i in 8..<15 { set(row: size - 15 + i, column: 8, bit(i)) }
        set(row: size - 8, column: 8, true)
    }

    /// Two 6×3 blocks, bit 0 nearest the top-left corner (Figure 27).
    mutating func drawVersionInformation() {
        guard version >= 7 else { return }
        let bits = QRCode.versionInformation(version)
        for i in 0..<18 {
            let value = (bits >> i) & 1 == 1
            set(row: i / 3, column: size - 11 + i % 3, value)
            set(row: size - 11 + i % 3, column: i / 3, value)
        }
    }
}

// MARK: - Mask penalty (7.8.3.1, Table 11)

private enum Penalty {
    static func score(_ dark: [Bool], size: Int) -> Int {
        var total = 0
        var row = [Bool](repeating: false, count: size)
        var column = [Bool](repeating: false, count: size)
        for i in 0..<size {
            for j in 0..<size {
                row[j] = dark[i * size + j]
                column[j] = dark[j * size + i]
            }
            total += runs(row) + runs(column) + finderLike(row) + finderLike(column)
        }
        // N2: every 2×2 block of one colour; an m×n block is (m − 1)(n − 1) of them, as the table scores it.
        for i in 0..<(size - 1) {
            for j in 0..<(size - 1) {
                let c = dark[i * size + j]
                if dark[i * size + j + 1] == c && dark[(i + 1) * size + j] == c && dark[(i + 1) * size + j + 1] == c {
                    total += 3
                }
            }
        }
        // N4: 10 points for each whole 5 % step away from half dark; integer arithmetic, so no rounding.
        let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
        let modules = size * size
        total += 10 * (abs(20 * darkCount - 10 * modules) / modules)
        return total
    }

    /// N1: 3 points for 5 modules of one colour in a line, 1 more for each further module.
    private static func runs(_ line: [Bool]) -> Int {
        var score = 0
        var length = 1
        for k in 1...line.count {
            if k < line.count && line[k] == line[k - 1] {
                length += 1
            } else {
                if length >= 5 { score += length - 2 }
                length = 1
            }
        }
        return score
    }

    private static let finderPattern: [Bool] = [true, false, true, true, true, false, true]

    /// N3: 40 points for dark-light-dark×3-light-dark with 4 light modules before or after it; beyond the
    /// edge counts as light. The standard does not say whether two such patterns may share modules; once
    /// one is counted the scan resumes after it, as segno (our CI's reference encoder) does, so that both
    /// pick the same mask.
    private static func finderLike(_ line: [Bool]) -> Int {
        let n = line.count
        var score = 0
        var index = 0
        while index + 7 <= n {
            guard (0..<7).allSatisfy({ line[index + $0] == finderPattern[$0] }) else {
                index += 1
                continue
            }
            let lightBefore = !line[max(index - 4, 0)..<index].contains(true)
            let lightAfter = !line[(index + 7)..<min(index + 11, n)].contains(true)
            if lightBefore || lightAfter {
                score += 40
                index += 7
            } else {
                index += 1
            }
        }
        return score
    }
}
