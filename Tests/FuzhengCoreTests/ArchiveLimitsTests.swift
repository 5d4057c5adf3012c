import Foundation
import FuzhengCore
import Testing
import ZIPFoundation

@Suite("Uploaded packages: ZIP limits and safe XML")
struct ArchiveLimitsTests {
    /// Builds a ZIP in memory; contents come from `provider` chunk by chunk, so a 60 MiB entry of zeros costs
    /// the test no 60 MiB buffer.
    static func zip(_ entries: [(path: String, size: Int, method: CompressionMethod, chunk: (Int64, Int) -> Data)])
        throws -> Data {
        let archive = try Archive(accessMode: .create)
        for entry in entries {
            try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(entry.size),
                                 modificationDate: Date(timeIntervalSince1970: 1_672_531_200),
                                 compressionMethod: entry.method) { position, size in entry.chunk(position, size) }
        }
        return try #require(archive.data)
    }

    static func zip(_ files: [(String, Data, CompressionMethod)]) throws -> Data {
        try Self.zip(files.map { file in
            (file.0, file.1.count, file.2, { position, size in
                file.1.subdata(in: Int(position)..<Int(position) + size)
            })
        })
    }

    static let bombSize = 60 << 20

    static func bomb() throws -> Data {
        try Self.zip([("word/document.xml", bombSize, .deflate, { _, size in Data(count: size) })])
    }

    /// Rewrites the declared uncompressed size of every entry, in the local and the central headers.
    static func forgingUncompressedSize(_ data: Data, to size: UInt32) -> Data {
        var bytes = [UInt8](data)
        let sizeBytes = (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
        var i = 0
        while i + 4 <= bytes.count {
            let signature = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
                | UInt32(bytes[i + 3]) << 24
            if signature == 0x0403_4B50 { bytes.replaceSubrange((i + 22)..<(i + 26), with: sizeBytes); i += 30 }
            else if signature == 0x0201_4B50 { bytes.replaceSubrange((i + 24)..<(i + 28), with: sizeBytes); i += 46 }
            else { i += 1 }
        }
        return Data(bytes)
    }

    /// Letters in random order: deflate has to use dynamic Huffman blocks, over more than one 64 KiB window.
    static func noise(_ count: Int) -> Data {
        var rng = SplitMix64(seed: 7)
        return Data((0..<count).map { _ in UInt8(65 + rng.next() % 16) })
    }

    // MARK: (a) bombs and counts

    @Test("A 60 MiB entry of zeros (about 60 KB deflated) is refused, by its declared size and by its ratio")
    func zipBomb() throws {
        let bomb = try Self.bomb()
        #expect(bomb.count < 200 << 10)
        #expect(throws: ArchiveError.entryTooLarge(entry: "word/document.xml", limit: 50 << 20)) {
            try SafeArchive.entries(of: bomb)
        }
        let roomy = ArchiveLimits(maxTotalUncompressed: 1 << 30, maxEntryUncompressed: 1 << 30)
        #expect(throws: ArchiveError.ratioTooHigh(entry: "word/document.xml", limit: 100)) {
            try SafeArchive.entries(of: bomb, limits: roomy)
        }
        let error = #expect(throws: ArchiveError.self) { try SafeArchive.entries(of: bomb) }
        #expect(error?.description.hasPrefix("条目“word/document.xml”解压后过大（上限 50 MiB） / the entry") == true)
    }

    @Test("A bomb whose headers claim 1,000 bytes is stopped while inflating, not after")
    func forgedSizes() throws {
        let forged = Self.forgingUncompressedSize(try Self.bomb(), to: 1_000)
        // .sizeMismatch comes from the inflater's cap; without the cap all 60 MiB would be expanded and the
        // entry would only be found damaged afterwards.
        #expect(throws: ArchiveError.sizeMismatch(entry: "word/document.xml")) {
            try SafeArchive.entries(of: forged)
        }
        let roomy = ArchiveLimits(maxTotalUncompressed: 1 << 30, maxEntryUncompressed: 1 << 30, maxRatio: 1 << 20)
        #expect(throws: ArchiveError.sizeMismatch(entry: "word/document.xml")) {
            try SafeArchive.entries(of: forged, limits: roomy)
        }
    }

    @Test("Too many entries, too much in all, or too large a file are refused")
    func counts() throws {
        let small = (0..<6).map { ("sheet\($0).xml", Data("<x>\($0)</x>".utf8), CompressionMethod.deflate) }
        let six = try Self.zip(small)
        #expect(try SafeArchive.entries(of: six, limits: ArchiveLimits(maxEntries: 6)).count == 6)
        let error = #expect(throws: ArchiveError.tooManyEntries(limit: 5)) {
            try SafeArchive.entries(of: six, limits: ArchiveLimits(maxEntries: 5))
        }
        #expect(error?.description == "文件包含的条目过多（上限 5 个） / the file holds too many entries (at most 5)")

        let kilobyte = Data(repeating: 0x41, count: 1_024)
        let four = try Self.zip((0..<4).map { ("part\($0).xml", kilobyte, CompressionMethod.none) })
        #expect(throws: ArchiveError.totalTooLarge(limit: 3_000)) {
            try SafeArchive.entries(of: four, limits: ArchiveLimits(maxTotalUncompressed: 3_000))
        }
        #expect(throws: ArchiveError.entryTooLarge(entry: "part0.xml", limit: 1_000)) {
            try SafeArchive.entries(of: four, limits: ArchiveLimits(maxEntryUncompressed: 1_000))
        }
        #expect(throws: ArchiveError.fileTooLarge(limit: 1_000)) {
            try SafeArchive.entries(of: four, limits: ArchiveLimits(maxCompressedSize: 1_000))
        }
    }

    // MARK: (b) paths

    @Test("Entries that climb out of the folder or name an absolute path are refused", arguments: [
        "../evil", "word/../../evil", "..\\evil", "/etc/passwd", "\\evil", "C:/evil", "a/..", "bad\u{0}name",
    ])
    func traversal(_ path: String) throws {
        let data = try Self.zip([("[Content_Types].xml", Data("<Types/>".utf8), .deflate),
                                 (path, Data("owned".utf8), .deflate)])
        let error = #expect(throws: ArchiveError.self) { try SafeArchive.entries(of: data) }
        guard case .unsafePath(let shown)? = error else {
            Issue.record("expected an unsafe path refusal, got \(String(describing: error))")
            return
        }
        #expect(!shown.contains("\u{0}"))
        #expect(error?.description.contains("不安全") == true)
    }

    // MARK: (c) a normal package

    @Test("A small DOCX-like package reads back exactly; directories are left out")
    func normalPackage() throws {
        let files: [(String, Data, CompressionMethod)] = [
            ("[Content_Types].xml", Data(#"<?xml version="1.0"?><Types><Default Extension="xml"/></Types>"#.utf8),
             .deflate),
            ("word/document.xml", Data("<w:document><w:t>怀来县 2001.89 万元</w:t></w:document>".utf8), .deflate),
            ("docProps/app.xml", Data("<Properties/>".utf8), .none),
            ("word/media/empty.bin", Data(), .deflate),
            ("word/media/noise.bin", Self.noise(70_000), .deflate),
        ]
        let archive = try Archive(data: try Self.zip(files), accessMode: .update)
        try archive.addEntry(with: "word/media/", type: .directory, uncompressedSize: Int64(0)) { _, _ in Data() }
        let entries = try SafeArchive.entries(of: try #require(archive.data))
        #expect(entries.count == files.count)
        for (path, contents, _) in files { #expect(entries[path] == contents, "\(path)") }
    }

    @Test("The platform's own DOCX and XLSX read the same as through ZIPFoundation, and all their XML parses")
    func ownExports() throws {
        let disclosure = DisclosureBuilder.build(try DisclosureImporter.importBudget(try Fixture.huailai))
        for package in [try DisclosureDOCX.document(disclosure), try DisclosureXLSX.workbook(disclosure)] {
            let entries = try SafeArchive.entries(of: package)
            let archive = try Archive(data: package, accessMode: .read)
            var files = 0
            for entry in archive where entry.type == .file {
                var contents = Data()
                _ = try archive.extract(entry) { contents.append($0) }
                #expect(entries[entry.path] == contents, "\(entry.path)")
                files += 1
            }
            #expect(entries.count == files && files > 3)
            for (path, contents) in entries where path.hasSuffix(".xml") || path.hasSuffix(".rels") {
                #expect(throws: Never.self, "\(path)") { try SafeXML.parse(contents) }
            }
        }
    }

    @Test("No single changed byte and no truncation of a package traps the reader")
    func damagedPackages() throws {
        let data = try Self.zip([("[Content_Types].xml", Data("<Types/>".utf8), .deflate),
                                 ("word/document.xml", Data(String(repeating: "怀来县预算 ", count: 40).utf8), .deflate),
                                 ("docProps/app.xml", Data("<Properties/>".utf8), CompressionMethod.none)])
        #expect(try SafeArchive.entries(of: data).count == 3)
        let bytes = [UInt8](data)
        var refused = 0
        for index in bytes.indices {
            for value: UInt8 in [0x00, 0xFF, bytes[index] ^ 0x01, bytes[index] ^ 0x80] where value != bytes[index] {
                var damaged = bytes
                damaged[index] = value
                if (try? SafeArchive.entries(of: Data(damaged))) == nil { refused += 1 }
            }
        }
        for length in 0..<bytes.count {
            #expect(throws: ArchiveError.self) { try SafeArchive.entries(of: Data(bytes.prefix(length))) }
        }
        // Nearly every byte is covered by a checksum or checked against the other header.
        #expect(refused > bytes.count * 3)
    }

    // MARK: (d) XML

    @Test("XXE: a DOCTYPE with an external entity is refused and /etc/passwd never appears")
    func externalEntity() throws {
        let xxe = Data(#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#.utf8)
        let error = #expect(throws: XMLSafetyError.doctype) { try SafeXML.parse(xxe) }
        #expect(error?.description.contains("<!DOCTYPE") == true)
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? "root:x:0:0"
        let firstLine = String(passwd.prefix { $0 != "\n" })
        #expect(!firstLine.isEmpty && !(error?.description.contains(firstLine) ?? false))

        // Spelled in lower case, in UTF-16, or behind a declared UTF-7: still no DTD reaches the parser.
        #expect(throws: XMLSafetyError.doctype) {
            try SafeXML.parse(Data(#"<!doctype x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#.utf8))
        }
        let utf16 = try #require(#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#
            .data(using: .utf16))
        #expect(throws: XMLSafetyError.notUTF8) { try SafeXML.parse(utf16) }
        #expect(throws: XMLSafetyError.declaredEncoding("UTF-7")) {
            try SafeXML.parse(Data(#"<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x+AD4-<x/>"#.utf8))
        }
        // An entity used without any declaration is an error, not a file read.
        let undeclared = #expect(throws: XMLSafetyError.self) { try SafeXML.parse(Data("<x>&e;</x>".utf8)) }
        #expect(undeclared.map { if case .malformed = $0 { true } else { false } } == true)
    }

    @Test("Billion laughs is refused before any expansion")
    func billionLaughs() throws {
        var doc = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            doc += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        doc += "]><lolz>&lol9;</lolz>"
        #expect(throws: XMLSafetyError.doctype) { try SafeXML.parse(Data(doc.utf8)) }
        #expect(throws: XMLSafetyError.entityDeclaration) {
            try SafeXML.parse(Data(#"<x><!ENTITY lol "lol"></x>"#.utf8))
        }
    }

    @Test("A processing instruction without data is refused: FoundationXML would dereference NULL on it")
    func emptyProcessingInstruction() throws {
        for xml in ["<x><?pi?></x>", "<?pi?><x/>", "<x/><?pi \n ?>", "<?xml version=\"1.0\"?><x><?a?></x>"] {
            #expect(throws: XMLSafetyError.emptyProcessingInstruction, "\(xml)") { try SafeXML.parse(Data(xml.utf8)) }
        }
        let root = try SafeXML.parse(Data(#"<?xml version="1.0"?><?mso-application progid="Word"?><x/>"#.utf8))
        #expect(root.name == "x")
    }

    @Test("A normal document parses into its tree")
    func normalXML() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="urn:w"><w:body><w:p w:id="1"><w:t xml:space="preserve">怀来县 &amp; 2001.89</w:t>\
            </w:p><w:p w:id="2"><w:t><![CDATA[<b>]]></w:t></w:p><!-- note --></w:body></w:document>
            """
        let root = try SafeXML.parse(Data(xml.utf8))
        #expect(root.name == "w:document")
        #expect(root.attributes["xmlns:w"] == "urn:w")
        let paragraphs = try #require(root.child("w:body")).children(named: "w:p")
        #expect(paragraphs.map { $0.attributes["w:id"] } == ["1", "2"])
        #expect(paragraphs[0].child("w:t")?.text == "怀来县 & 2001.89")
        #expect(paragraphs[0].child("w:t")?.attributes["xml:space"] == "preserve")
        #expect(paragraphs[1].child("w:t")?.text == "<b>")

        #expect(throws: XMLSafetyError.self) { try SafeXML.parse(Data("<a><b></a>".utf8)) }
        #expect(throws: XMLSafetyError.self) { try SafeXML.parse(Data()) }
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(throws: XMLSafetyError.self) { try SafeXML.parse(Data(deep.utf8)) }
    }

    @Test("Reading a package and then its XML: the path a DOCX upload takes")
    func packageThenXML() throws {
        let data = try Self.zip([("word/document.xml", Data("<w:document><w:t>合计</w:t></w:document>".utf8), .deflate)])
        let entries = try SafeArchive.entries(of: data)
        let root = try SafeXML.parse(try #require(entries["word/document.xml"]))
        #expect(root.child("w:t")?.text == "合计")
    }
}
