import Foundation

/// Seal images: what an uploaded one must be, and the demo's drawn one. A real seal is scanned and uploaded by the
/// 安全管理员; the demo draws a red ring and star marked as a sample, so a first start can show 用印 working.
public enum SealImage {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let maxBytes = 2 * 1024 * 1024

    public enum Problem: String, Error, Sendable, Equatable {
        case notPNG = "seal.error.notPNG"
        case tooLarge = "seal.error.tooLarge"
        case size = "seal.error.size"
    }

    /// Width and height from the IHDR of a PNG, or the problem with it: a seal is a square-ish PNG of 200–4000 px.
    public static func check(_ data: [UInt8]) -> Result<(width: Int, height: Int), Problem> {
        guard data.count <= maxBytes else { return .failure(.tooLarge) }
        guard data.count > 33, Array(data[0..<8]) == signature, Array(data[12..<16]) == Array("IHDR".utf8) else {
            return .failure(.notPNG)
        }
        func be32(_ i: Int) -> Int { data[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        let (w, h) = (be32(16), be32(20))
        guard (200...4000).contains(w), (200...4000).contains(h), max(w, h) * 4 <= min(w, h) * 5 else {
            return .failure(.size)
        }
        return .success((w, h))
    }

    /// A 400 px demo seal: red outer ring, inner ring and five-pointed star on transparency (two-colour indexed PNG).
    public static func demo(size: Int = 400) -> [UInt8] {
        var ink = [Bool](repeating: false, count: size * size)
        let c = Double(size) / 2
        let star = starPolygon(centre: c, radius: c * 0.36)
        for y in 0..<size {
            for x in 0..<size {
                let dx = Double(x) + 0.5 - c
                let dy = Double(y) + 0.5 - c
                let r = (dx * dx + dy * dy).squareRoot()
                let ring = (r <= c * 0.98 && r >= c * 0.90) || (r <= c * 0.84 && r >= c * 0.82)
                ink[y * size + x] = ring || contains(star, Double(x) + 0.5, Double(y) + 0.5)
            }
        }
        return png(width: size, height: size, ink: ink)
    }

    public static let demoImage: [UInt8] = demo()

    static func starPolygon(centre c: Double, radius: Double) -> [(Double, Double)] {
        (0..<10).map { k in
            let angle = -Double.pi / 2 + Double(k) * Double.pi / 5
            let r = k % 2 == 0 ? radius : radius * 0.382
            return (c + r * cos(angle), c + r * sin(angle))
        }
    }

    static func contains(_ polygon: [(Double, Double)], _ x: Double, _ y: Double) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in polygon.indices {
            let (xi, yi) = polygon[i]
            let (xj, yj) = polygon[j]
            if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }

    /// A two-colour PNG (1 bit a pixel: transparent, or the seal's red) with stored deflate blocks: no compressor
    /// needed, and 400 × 400 pixels take 20 KB.
    public static func png(width: Int, height: Int, ink: [Bool]) -> [UInt8] {
        let rowBytes = (width + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (rowBytes + 1))
        for y in 0..<height {
            raw.append(0)
            var row = [UInt8](repeating: 0, count: rowBytes)
            for x in 0..<width where ink[y * width + x] { row[x / 8] |= 0x80 >> UInt8(x % 8) }
            raw += row
        }
        var z: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, raw.count - offset)
            z.append(offset + n >= raw.count ? 1 : 0)
            z += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            z += raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        z += be(b << 16 | a)
        var out = signature
        out += chunk("IHDR", be(UInt32(width)) + be(UInt32(height)) + [1, 3, 0, 0, 0])
        out += chunk("PLTE", [0xFF, 0xFF, 0xFF, 0xE6, 0x00, 0x12])
        out += chunk("tRNS", [0x00, 0xE0])
        out += chunk("IDAT", z)
        out += chunk("IEND", [])
        return out
    }

    static func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF),
        UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be(UInt32(data.count)) + body + be(crc32(body))
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
