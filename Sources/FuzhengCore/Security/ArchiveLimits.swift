import Foundation

/// How much a ZIP-based document (DOCX, XLSX, OFD) uploaded by a user may hold. Sizes are in bytes.
///
/// The ratio limit applies per entry and to the file as a whole, but only once the expanded bytes pass 1 MiB:
/// a small part of spaces or zeros legitimately compresses far beyond 100:1 and costs nothing to hold.
public struct ArchiveLimits: Sendable, Equatable {
    public var maxEntries: Int
    public var maxTotalUncompressed: Int
    public var maxEntryUncompressed: Int
    /// Expanded bytes per compressed byte.
    public var maxRatio: Int
    /// The size of the uploaded file itself.
    public var maxCompressedSize: Int

    public init(maxEntries: Int = 2_000, maxTotalUncompressed: Int = 200 << 20, maxEntryUncompressed: Int = 50 << 20,
                maxRatio: Int = 100, maxCompressedSize: Int = 20 << 20) {
        self.maxEntries = maxEntries
        self.maxTotalUncompressed = maxTotalUncompressed
        self.maxEntryUncompressed = maxEntryUncompressed
        self.maxRatio = maxRatio
        self.maxCompressedSize = maxCompressedSize
    }

    /// Below this many expanded bytes the ratio is not checked (see above).
    static let ratioFloor = 1 << 20
}

/// Why a package was refused. Entry names are shortened and stripped of control characters for display.
public enum ArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileTooLarge(limit: Int)
    case notAZip
    case zip64
    case tooManyEntries(limit: Int)
    case entryTooLarge(entry: String, limit: Int)
    case totalTooLarge(limit: Int)
    /// `entry` is nil when the file as a whole expands too much.
    case ratioTooHigh(entry: String?, limit: Int)
    case unsafePath(String)
    case duplicateEntry(String)
    case overlappingEntry(String)
    case encrypted(String)
    case unsupportedCompression(entry: String, method: Int)
    case link(String)
    case damaged(entry: String)
    case sizeMismatch(entry: String)

    public var messageZh: String {
        switch self {
        case .fileTooLarge(let limit): "文件过大（上限 \(Self.sizeZh(limit))）"
        case .notAZip: "文件不是有效的 ZIP 压缩包，或已损坏"
        case .zip64: "不支持 ZIP64 或分卷压缩包"
        case .tooManyEntries(let limit): "文件包含的条目过多（上限 \(limit) 个）"
        case .entryTooLarge(let entry, let limit): "条目“\(entry)”解压后过大（上限 \(Self.sizeZh(limit))）"
        case .totalTooLarge(let limit): "文件解压后的总大小过大（上限 \(Self.sizeZh(limit))）"
        case .ratioTooHigh(let entry?, let limit): "条目“\(entry)”的压缩比异常（上限 \(limit):1），疑似压缩炸弹"
        case .ratioTooHigh(nil, let limit): "文件整体的压缩比异常（上限 \(limit):1），疑似压缩炸弹"
        case .unsafePath(let entry): "条目路径“\(entry)”不安全（绝对路径、含“..”或控制字符）"
        case .duplicateEntry(let entry): "条目“\(entry)”重复出现"
        case .overlappingEntry(let entry): "条目“\(entry)”的数据与其他条目重叠，疑似压缩炸弹"
        case .encrypted(let entry): "条目“\(entry)”已加密，无法读取"
        case .unsupportedCompression(let entry, let method): "条目“\(entry)”使用了不支持的压缩方式（\(method)）"
        case .link(let entry): "条目“\(entry)”是符号链接，文档中不允许出现"
        case .damaged(let entry): "条目“\(entry)”已损坏（数据或校验和不符）"
        case .sizeMismatch(let entry): "条目“\(entry)”解压后超出其声明的大小，文件可能被篡改"
        }
    }

    public var messageEn: String {
        switch self {
        case .fileTooLarge(let limit): "the file is too large (at most \(Self.sizeEn(limit)))"
        case .notAZip: "the file is not a valid ZIP package, or it is damaged"
        case .zip64: "ZIP64 and multi-volume packages are not supported"
        case .tooManyEntries(let limit): "the file holds too many entries (at most \(limit))"
        case .entryTooLarge(let entry, let limit):
            "the entry “\(entry)” is too large when expanded (at most \(Self.sizeEn(limit)))"
        case .totalTooLarge(let limit): "the file is too large when expanded (at most \(Self.sizeEn(limit)) in all)"
        case .ratioTooHigh(let entry?, let limit):
            "the entry “\(entry)” expands more than \(limit) times its compressed size: a possible zip bomb"
        case .ratioTooHigh(nil, let limit): "the file expands more than \(limit) times its size: a possible zip bomb"
        case .unsafePath(let entry):
            "the entry path “\(entry)” is unsafe (absolute, containing “..” or control characters)"
        case .duplicateEntry(let entry): "the entry “\(entry)” appears more than once"
        case .overlappingEntry(let entry):
            "the entry “\(entry)” shares its data with another entry: a possible zip bomb"
        case .encrypted(let entry): "the entry “\(entry)” is encrypted and cannot be read"
        case .unsupportedCompression(let entry, let method):
            "the entry “\(entry)” uses an unsupported compression method (\(method))"
        case .link(let entry): "the entry “\(entry)” is a symbolic link, which a document may not contain"
        case .damaged(let entry): "the entry “\(entry)” is damaged (its data or checksum does not match)"
        case .sizeMismatch(let entry):
            "the entry “\(entry)” expands beyond its declared size: the file may have been tampered with"
        }
    }

    public var description: String { "\(messageZh) / \(messageEn)" }

    static func sizeZh(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) 字节"
    }

    static func sizeEn(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}

/// Reads a ZIP package from an untrusted source into memory.
///
/// The container is parsed and inflated here rather than by ZIPFoundation: its in-memory reader traps
/// (a range with lowerBound > upperBound in `MemoryFile.readData`) when a header points past the end of the
/// data, converts 64-bit offsets with a trapping `off_t(_:)`, and on Linux hands zlib a full buffer length for
/// the last, shorter chunk. A single changed byte in an upload must never take the server down.
/// Every offset is checked against the data, every declared size against the limits, and the expanded bytes
/// are counted as they are produced: inflation stops at the smallest of the declared size and the limits.
public enum SafeArchive {
    /// Every file entry's path and contents (directory entries are left out).
    public static func entries(of data: Data, limits: ArchiveLimits = .init()) throws(ArchiveError) -> [String: Data] {
        guard data.count <= limits.maxCompressedSize else { throw .fileTooLarge(limit: limits.maxCompressedSize) }
        let bytes = [UInt8](data)
        let directory = try CentralDirectory(bytes, limits: limits)

        var result: [String: Data] = [:]
        var expandedTotal = 0
        let overallCap = ratioCap(compressed: bytes.count, ratio: limits.maxRatio)
        for entry in directory.entries where !entry.isDirectory {
            let name = entry.displayName
            let caps: [(Int, ArchiveError)] = [
                (limits.maxEntryUncompressed, .entryTooLarge(entry: name, limit: limits.maxEntryUncompressed)),
                (limits.maxTotalUncompressed - expandedTotal, .totalTooLarge(limit: limits.maxTotalUncompressed)),
                (ratioCap(compressed: entry.compressedSize, ratio: limits.maxRatio),
                 .ratioTooHigh(entry: name, limit: limits.maxRatio)),
                (overallCap - expandedTotal, .ratioTooHigh(entry: nil, limit: limits.maxRatio)),
                (entry.uncompressedSize, .sizeMismatch(entry: name)),
            ]
            // The tightest bound decides both where inflation stops and which refusal the user sees.
            let (cap, refusal) = caps.min { $0.0 < $1.0 }!
            let contents: [UInt8]
            let stored = bytes[entry.dataStart..<(entry.dataStart + entry.compressedSize)]
            if entry.method == 0 {
                guard entry.compressedSize == entry.uncompressedSize else { throw .damaged(entry: name) }
                guard stored.count <= cap else { throw refusal }
                contents = Array(stored)
            } else {
                do throws(Inflater.Failure) {
                    contents = try Inflater.inflate(stored, cap: cap)
                } catch {
                    switch error {
                    case .damaged: throw .damaged(entry: name)
                    case .outputLimit: throw refusal
                    }
                }
            }
            guard contents.count == entry.uncompressedSize, CRC32.checksum(contents) == entry.crc32 else {
                throw .damaged(entry: name)
            }
            expandedTotal += contents.count
            result[entry.name] = Data(contents)
        }
        return result
    }

    /// The most a compressed size may expand to; never below the floor, never overflowing.
    static func ratioCap(compressed: Int, ratio: Int) -> Int {
        let (product, overflow) = compressed.multipliedReportingOverflow(by: max(ratio, 0))
        return max(ArchiveLimits.ratioFloor, overflow ? Int.max : product)
    }
}

// MARK: - The container

/// The central directory of a ZIP file, checked against the data and the declared-size limits.
struct CentralDirectory {
    struct Entry {
        var name: String
        var displayName: String
        var method: Int
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        var dataStart: Int
        var isDirectory: Bool
    }

    var entries: [Entry] = []

    init(_ bytes: [UInt8], limits: ArchiveLimits) throws(ArchiveError) {
        let eocd = try Self.endRecord(bytes)
        let reader = ByteReader(bytes: bytes)
        guard reader.u16(eocd + 4) == 0, reader.u16(eocd + 6) == 0 else { throw .zip64 }
        let entriesOnDisk = reader.u16(eocd + 8)!, entryCount = reader.u16(eocd + 10)!
        let directorySize = reader.u32(eocd + 12)!, directoryOffset = reader.u32(eocd + 16)!
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF { throw .zip64 }
        guard entriesOnDisk == entryCount else { throw .zip64 }
        guard entryCount <= limits.maxEntries else { throw .tooManyEntries(limit: limits.maxEntries) }
        let directoryEnd = directoryOffset + directorySize
        guard directoryEnd <= eocd else { throw .notAZip }

        var names = Set<String>()
        var declaredTotal = 0
        var position = directoryOffset
        for _ in 0..<entryCount {
            let entry = try Self.entry(reader, at: &position, end: directoryEnd, dataEnd: directoryOffset)
            guard names.insert(entry.name).inserted else { throw .duplicateEntry(entry.displayName) }
            try Self.checkDeclared(entry, limits: limits)
            declaredTotal += entry.uncompressedSize
            guard declaredTotal <= limits.maxTotalUncompressed else {
                throw .totalTooLarge(limit: limits.maxTotalUncompressed)
            }
            entries.append(entry)
        }
        let overallCap = SafeArchive.ratioCap(compressed: bytes.count, ratio: limits.maxRatio)
        guard declaredTotal <= overallCap else { throw .ratioTooHigh(entry: nil, limit: limits.maxRatio) }

        // Entries that share compressed bytes let a small file expand many times over (the overlapping-file
        // zip bomb); in a file written by an office suite every entry owns its own stretch.
        var previousEnd = 0
        for entry in entries.sorted(by: { $0.localHeaderOffset < $1.localHeaderOffset }) {
            guard entry.localHeaderOffset >= previousEnd else { throw .overlappingEntry(entry.displayName) }
            previousEnd = entry.dataStart + entry.compressedSize
        }
    }

    /// The offset of the end-of-central-directory record; its comment must run exactly to the end of the file,
    /// so trailing bytes cannot carry a second, different directory.
    static func endRecord(_ bytes: [UInt8]) throws(ArchiveError) -> Int {
        let reader = ByteReader(bytes: bytes)
        guard bytes.count >= 22 else { throw .notAZip }
        var offset = bytes.count - 22
        let lowest = max(0, offset - 0xFFFF)
        while offset >= lowest {
            if reader.u32(offset) == 0x0605_4B50, let comment = reader.u16(offset + 20),
               offset + 22 + comment == bytes.count {
                return offset
            }
            offset -= 1
        }
        throw .notAZip
    }

    static func entry(_ reader: ByteReader, at position: inout Int, end: Int,
                      dataEnd: Int) throws(ArchiveError) -> Entry {
        let p = position
        guard p + 46 <= end, reader.u32(p) == 0x0201_4B50 else { throw .notAZip }
        let madeBy = reader.u16(p + 4)!, flags = reader.u16(p + 8)!, method = reader.u16(p + 10)!
        let crc = UInt32(reader.u32(p + 16)!)
        let compressed = reader.u32(p + 20)!, uncompressed = reader.u32(p + 24)!
        let nameLength = reader.u16(p + 28)!, extraLength = reader.u16(p + 30)!, commentLength = reader.u16(p + 32)!
        let externalAttributes = reader.u32(p + 38)!, localOffset = reader.u32(p + 42)!
        let next = p + 46 + nameLength + extraLength + commentLength
        guard next <= end else { throw .notAZip }
        position = next
        if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF { throw .zip64 }

        let nameBytes = reader.bytes[(p + 46)..<(p + 46 + nameLength)]
        let name = String(decoding: nameBytes, as: UTF8.self)
        let display = displayName(name)
        guard isSafePath(name) else { throw .unsafePath(display) }
        guard flags & 0x0001 == 0 else { throw .encrypted(display) }
        guard method == 0 || method == 8 else { throw .unsupportedCompression(entry: display, method: method) }
        // Unix "made by" hosts keep the file mode in the high half of the external attributes.
        let unixMode = externalAttributes >> 16
        if madeBy >> 8 == 3, unixMode & 0o170000 == 0o120000 { throw .link(display) }

        // The local header must agree with the directory: readers that trust one or the other must see one file.
        let l = localOffset
        guard l + 30 <= dataEnd, reader.u32(l) == 0x0403_4B50, reader.u16(l + 8) == method else {
            throw .damaged(entry: display)
        }
        // Without a data descriptor (flag 3) the local header repeats the checksum and both sizes.
        if reader.u16(l + 6)! & 0x0008 == 0 {
            guard reader.u32(l + 14) == Int(crc), reader.u32(l + 18) == compressed, reader.u32(l + 22) == uncompressed
            else { throw .damaged(entry: display) }
        }
        let localName = reader.u16(l + 26)!, localExtra = reader.u16(l + 28)!
        let dataStart = l + 30 + localName + localExtra
        guard localName == nameLength, dataStart <= dataEnd, dataStart + compressed <= dataEnd,
              reader.bytes[(l + 30)..<(l + 30 + localName)] == nameBytes
        else { throw .damaged(entry: display) }

        let isDirectory = name.hasSuffix("/") || name.hasSuffix("\\")
        if isDirectory && uncompressed != 0 { throw .damaged(entry: display) }
        return Entry(name: name, displayName: display, method: method, crc32: crc, compressedSize: compressed,
                     uncompressedSize: uncompressed, localHeaderOffset: l, dataStart: dataStart,
                     isDirectory: isDirectory)
    }

    static func checkDeclared(_ entry: Entry, limits: ArchiveLimits) throws(ArchiveError) {
        guard entry.uncompressedSize <= limits.maxEntryUncompressed else {
            throw .entryTooLarge(entry: entry.displayName, limit: limits.maxEntryUncompressed)
        }
        guard entry.uncompressedSize <= SafeArchive.ratioCap(compressed: entry.compressedSize, ratio: limits.maxRatio)
        else { throw .ratioTooHigh(entry: entry.displayName, limit: limits.maxRatio) }
    }

    /// Relative, without "..", without control characters; "\" counts as a separator because Windows reads it so.
    static func isSafePath(_ name: String) -> Bool {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            return false
        }
        let scalars = Array(name.unicodeScalars.prefix(2))
        if scalars[0] == "/" || scalars[0] == "\\" { return false }
        let drive = scalars.count == 2 && scalars[1] == ":" && scalars[0].isASCII && scalars[0].properties.isAlphabetic
        if drive { return false }
        return !name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" })
            .contains("..")
    }

    static func displayName(_ name: String) -> String {
        let cleaned = String(String.UnicodeScalarView(name.unicodeScalars.prefix(120).map {
            $0.value < 0x20 || $0.value == 0x7F ? "?" : $0
        }))
        return name.unicodeScalars.count > 120 ? cleaned + "…" : cleaned
    }
}

/// Little-endian reads that return nil instead of trapping outside the data.
struct ByteReader {
    let bytes: [UInt8]

    func u16(_ offset: Int) -> Int? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) -> Int? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
            | Int(bytes[offset + 3]) << 24
    }
}

// MARK: - Inflate (RFC 1951)

/// A plain canonical-Huffman inflater (after zlib's puff.c): every input read is bounds-checked and the output
/// stops at `cap`, so a forged header or a crafted stream can cost at most `cap` bytes and one pass over the input.
struct Inflater {
    enum Failure: Error { case damaged, outputLimit }

    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: ArraySlice<Int>) throws(Failure) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            // An over-subscribed code could decode one bit pattern two ways.
            var left = 1
            for length in 1...15 {
                left = left * 2 - counts[length]
                if left < 0 { throw .damaged }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            for (symbol, length) in zip(0..., lengths) where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                               1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
                                12, 13, 13]
    static let fixed: (Huffman, Huffman) = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return (try! Huffman(lengths: lengths[...]), try! Huffman(lengths: [Int](repeating: 5, count: 30)[...]))
    }()

    let input: ArraySlice<UInt8>
    let cap: Int
    var position: Int
    var bitBuffer = 0
    var bitCount = 0
    var output: [UInt8] = []

    static func inflate(_ input: ArraySlice<UInt8>, cap: Int) throws(Failure) -> [UInt8] {
        var inflater = Inflater(input: input, cap: cap, position: input.startIndex)
        inflater.output.reserveCapacity(min(cap, 1 << 20))
        var last = false
        while !last {
            last = try inflater.bits(1) == 1
            switch try inflater.bits(2) {
            case 0: try inflater.storedBlock()
            case 1: try inflater.codes(Self.fixed.0, Self.fixed.1)
            case 2: try inflater.dynamicBlock()
            default: throw .damaged
            }
        }
        return inflater.output
    }

    mutating func bits(_ count: Int) throws(Failure) -> Int {
        while bitCount < count {
            guard position < input.endIndex else { throw .damaged }
            bitBuffer |= Int(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << count) - 1)
        bitBuffer >>= count
        bitCount -= count
        return value
    }

    mutating func storedBlock() throws(Failure) {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.endIndex else { throw .damaged }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        position += 4
        guard length == ~complement & 0xFFFF, position + length <= input.endIndex else { throw .damaged }
        guard output.count + length <= cap else { throw .outputLimit }
        output.append(contentsOf: input[position..<(position + length)])
        position += length
    }

    mutating func decode(_ code: Huffman) throws(Failure) -> Int {
        var value = 0, first = 0, index = 0
        for length in 1...15 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw .damaged
    }

    mutating func codes(_ literals: Huffman, _ distances: Huffman) throws(Failure) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard output.count < cap else { throw .outputLimit }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let lengthIndex = symbol - 257
                guard lengthIndex < Self.lengthBase.count else { throw .damaged }
                let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtra[lengthIndex]))
                let distanceIndex = try decode(distances)
                guard distanceIndex < Self.distanceBase.count else { throw .damaged }
                let distance = Self.distanceBase[distanceIndex] + (try bits(Self.distanceExtra[distanceIndex]))
                guard distance <= output.count else { throw .damaged }
                guard output.count + length <= cap else { throw .outputLimit }
                let start = output.count - distance
                for k in 0..<length { output.append(output[start + k]) }
            }
        }
    }

    mutating func dynamicBlock() throws(Failure) {
        let literalCount = try bits(5) + 257, distanceCount = try bits(5) + 1, codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .damaged }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengths[order[i]] = try bits(3) }
        let lengthCode = try Huffman(lengths: codeLengths[...])

        var lengths: [Int] = []
        let total = literalCount + distanceCount
        while lengths.count < total {
            let symbol = try decode(lengthCode)
            var repeated = 0, times = 0
            switch symbol {
            case 0..<16: lengths.append(symbol); continue
            case 16:
                guard let previous = lengths.last else { throw .damaged }
                repeated = previous
                times = 3 + (try bits(2))
            case 17: times = 3 + (try bits(3))
            default: times = 11 + (try bits(7))
            }
            guard lengths.count + times <= total else { throw .damaged }
            lengths += repeatElement(repeated, count: times)
        }
        guard lengths[256] != 0 else { throw .damaged }
        let literals = try Huffman(lengths: lengths[0..<literalCount])
        let distances = try Huffman(lengths: lengths[literalCount...])
        try codes(literals, distances)
    }
}

/// CRC-32 (ISO-HDLC), as ZIP stores it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
