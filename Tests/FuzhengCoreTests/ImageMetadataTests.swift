import Foundation
import FuzhengCore
import Testing

@Suite("Uploaded photos lose their EXIF and GPS")
struct ImageMetadataTests {
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// SOI, JFIF APP0, EXIF APP1 with a GPS block, XMP APP1, a comment, DQT, SOS, scan data, EOI.
    static var jpeg: [UInt8] {
        let exif = Array("Exif\0\0MM\0*GPSLatitude 40.4N GPSLongitude 115.5E Canon".utf8)
        let xmp = Array("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS</x:xmpmeta>".utf8)
        return [0xFF, 0xD8] + segment(0xE0, Array("JFIF\0\u{1}\u{1}".utf8)) + segment(0xE1, exif) + segment(0xE1, xmp)
            + segment(0xFE, Array("taken at home".utf8)) + segment(0xDB, [0, 1, 2, 3]) + segment(0xDA, [1, 2, 3])
            + [0x12, 0x34, 0xFF, 0x00, 0x56] + [0xFF, 0xD9]
    }

    @Test("a JPEG keeps its picture and loses EXIF, GPS, XMP and comments")
    func jpegStripped() throws {
        let stripped = [UInt8](try ImageMetadata.strip(Data(Self.jpeg)))
        let text = String(decoding: stripped, as: UTF8.self)
        #expect(!text.contains("GPS") && !text.contains("Exif") && !text.contains("Canon") && !text.contains("home"))
        #expect(text.contains("JFIF"))
        #expect(stripped.starts(with: [0xFF, 0xD8]))
        #expect(Array(stripped.suffix(7)) == [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9])
        #expect(stripped.count < Self.jpeg.count)
        // Stripping twice changes nothing more.
        #expect([UInt8](try ImageMetadata.strip(Data(stripped))) == stripped)
    }

    @Test("a PNG loses its text and eXIf chunks")
    func pngStripped() throws {
        func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
            let n = payload.count
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(type.utf8)
                + payload + [0, 0, 0, 0]
        }
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", Array(repeating: 0, count: 13))
            + chunk("eXIf", Array("MM GPS".utf8)) + chunk("tEXt", Array("Author\0secretary".utf8))
            + chunk("IDAT", [1, 2, 3]) + chunk("IEND", [])
        let stripped = [UInt8](try ImageMetadata.strip(Data(png)))
        let text = String(decoding: stripped, as: UTF8.self)
        #expect(!text.contains("GPS") && !text.contains("secretary"))
        #expect(text.contains("IHDR") && text.contains("IDAT") && text.contains("IEND"))
    }

    @Test("anything else, or a cut-off file, is refused with a message")
    func refused() {
        #expect(throws: ImageMetadata.Failure.notAnImage) { try ImageMetadata.strip(Data("GIF89a".utf8)) }
        #expect(throws: ImageMetadata.Failure.truncated) { try ImageMetadata.strip(Data(Self.jpeg.prefix(30))) }
        #expect(throws: ImageMetadata.Failure.truncated) { try ImageMetadata.strip(Data([0xFF, 0xD8, 0xFF, 0xE1, 0xFF])) }
    }
}
