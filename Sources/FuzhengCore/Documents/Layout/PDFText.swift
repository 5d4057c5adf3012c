import Foundation
import ZIPFoundation

/// Chromium prints CJK fonts whose radicals share a glyph with an ideograph (⺠ and 民) and writes the radical into the
/// PDF's text map, so a reader copying the text, a search engine or an accessibility tool reads 人⺠政府. Each
/// ToUnicode map is read (Flate-decoded), every radical mapped through `rules/radical-ideographs.json`, and the maps
/// that changed are returned as replacement objects for an incremental update.
public enum PDFText {
    static let radicals: [Character: String] = {
        struct File: Decodable { var map: [String: String] }
        guard let data = try? Catalogs.resource("radical-ideographs", "json", "rules"),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [:] }
        var out: [Character: String] = [:]
        for (k, v) in file.map { if let c = k.first { out[c] = v } }
        return out
    }()

    public static func textMapFixes(_ pdf: Data) -> [Int: Data] {
        let bytes = [UInt8](pdf)
        var fixes: [Int: Data] = [:]
        for n in Set(toUnicodeObjects(bytes)) {
            guard let stream = streamOfObject(n, in: bytes), let text = String(bytes: stream, encoding: .ascii),
                  let fixed = fix(cmap: text) else { continue }
            var body = Data("<< /Length \(fixed.utf8.count) >>\nstream\n".utf8)
            body.append(Data(fixed.utf8))
            body.append(Data("\nendstream".utf8))
            fixes[n] = body
        }
        return fixes
    }

    static func toUnicodeObjects(_ b: [UInt8]) -> [Int] {
        let key = Array("/ToUnicode ".utf8)
        var out: [Int] = []
        var i = 0
        while i + key.count < b.count {
            if b[i] == key[0], Array(b[i..<i + key.count]) == key {
                var j = i + key.count
                var n = 0
                var digits = 0
                while j < b.count, b[j] >= 0x30, b[j] <= 0x39 {
                    n = n * 10 + Int(b[j] - 0x30)
                    j += 1
                    digits += 1
                }
                if digits > 0, digits < 9 { out.append(n) }
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// The decoded stream of object `n` (its last definition), Flate or plain.
    static func streamOfObject(_ n: Int, in b: [UInt8]) -> [UInt8]? {
        guard let start = PDFInfo.lastRange(of: "\n\(n) 0 obj", in: b) else { return nil }
        let head = Array("stream".utf8)
        var i = start.upperBound
        while i + head.count < b.count, Array(b[i..<i + head.count]) != head { i += 1 }
        guard i + head.count < b.count else { return nil }
        let dict = String(decoding: b[start.upperBound..<i], as: UTF8.self)
        guard let length = PDFInfo.number(after: "/Length", in: dict), !dict.contains("/Length \(length) 0 R") else {
            return nil
        }
        var from = i + head.count
        if from < b.count, b[from] == 0x0D { from += 1 }
        if from < b.count, b[from] == 0x0A { from += 1 }
        guard from + length <= b.count else { return nil }
        let raw = Array(b[from..<from + length])
        guard dict.contains("/FlateDecode") else { return raw }
        // A zlib stream: two header bytes, raw deflate, then the checksum the inflater ignores.
        guard raw.count > 2 else { return nil }
        let deflated = Data(raw[2...])
        var out = Data()
        do {
            _ = try Data.decompress(size: Int64(deflated.count), bufferSize: 16_384, skipCRC32: true,
                                    provider: { position, size in
                                        deflated.subdata(in: Int(position)..<min(Int(position) + size, deflated.count))
                                    }, consumer: { out.append($0) })
        } catch {
            return out.isEmpty ? nil : [UInt8](out)
        }
        return [UInt8](out)
    }

    /// The CMap with every radical target replaced, or nil when it holds none. Ranges that reach a radical are
    /// written out as single mappings.
    static func fix(cmap: String) -> String? {
        var codespace: [String] = []
        var pairs: [(String, String)] = []
        var changed = false
        var mode = ""
        for raw in cmap.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("begincodespacerange") { mode = "space"; continue }
            if line.hasSuffix("beginbfchar") { mode = "char"; continue }
            if line.hasSuffix("beginbfrange") { mode = "range"; continue }
            if line.hasPrefix("end") { mode = ""; continue }
            let hexes = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<>")) }
            switch mode {
            case "space": codespace.append(line)
            case "char" where hexes.count == 2:
                let (dst, c) = mapped(hexes[1])
                changed = changed || c
                pairs.append((hexes[0], dst))
            case "range" where hexes.count == 3:
                guard let lo = Int(hexes[0], radix: 16), let hi = Int(hexes[1], radix: 16),
                      let dst = Int(hexes[2], radix: 16), hi >= lo, hi - lo < 256 else { return nil }
                for k in 0...(hi - lo) {
                    let (d, c) = mapped(String(format: "%04X", dst + k))
                    changed = changed || c
                    pairs.append((String(format: "%0\(hexes[0].count)X", lo + k), d))
                }
            default: continue
            }
        }
        guard changed else { return nil }
        var out = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
            + "<< /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
            + "/CMapType 2 def\n\(codespace.count) begincodespacerange\n" + codespace.joined(separator: "\n")
            + "\nendcodespacerange\n"
        for chunk in stride(from: 0, to: pairs.count, by: 100) {
            let part = pairs[chunk..<min(chunk + 100, pairs.count)]
            out += "\(part.count) beginbfchar\n" + part.map { "<\($0.0)> <\($0.1)>" }.joined(separator: "\n")
                + "\nendbfchar\n"
        }
        return out + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    }

    /// A UTF-16BE hex target with its radicals replaced.
    static func mapped(_ hex: String) -> (String, Bool) {
        var units: [UInt16] = []
        var i = hex.startIndex
        while i < hex.endIndex, let j = hex.index(i, offsetBy: 4, limitedBy: hex.endIndex) {
            guard let u = UInt16(hex[i..<j], radix: 16) else { return (hex, false) }
            units.append(u)
            i = j
        }
        let text = String(decoding: units, as: UTF16.self)
        var changed = false
        let fixed = text.map { c -> String in
            if let r = radicals[c] {
                changed = true
                return r
            }
            return String(c)
        }.joined()
        guard changed else { return (hex, false) }
        return (fixed.utf16.map { String(format: "%04X", $0) }.joined(), true)
    }
}
