import Foundation

/// Photos people upload (a scanned page, a site photo) often carry where and when they were taken and
/// with which device. Before anything is stored, JPEG APP1–APP15 segments (EXIF, GPS, XMP, maker notes,
/// Photoshop IRB) and PNG text/EXIF chunks are removed; the picture itself is copied byte for byte.
public enum ImageMetadata {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notAnImage
        case truncated

        public var description: String {
            switch self {
            case .notAnImage: "不是 JPEG 或 PNG 图片 / not a JPEG or PNG image"
            case .truncated: "图片文件不完整 / the image file is truncated"
            }
        }
    }

    public static func strip(_ data: Data) throws(Failure) -> Data {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xD8]) { return Data(try stripJPEG(bytes)) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return Data(try stripPNG(bytes)) }
        throw .notAnImage
    }

    private static func stripJPEG(_ b: [UInt8]) throws(Failure) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        var i = 2
        while i < b.count {
            guard b[i] == 0xFF, i + 1 < b.count else { throw .truncated }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            // Markers without a length: RSTn, TEM.
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { out += b[i...(i + 1)]; i += 2; continue }
            if marker == 0xD9 { out += [0xFF, 0xD9]; return out }
            guard i + 3 < b.count else { throw .truncated }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { throw .truncated }
            let end = i + 2 + length
            // APP0 (JFIF) says how to read the pixels and is kept; APP1…APP15 and comments are metadata.
            let metadata = (0xE1...0xEF).contains(marker) || marker == 0xFE
            if !metadata { out += b[i..<end] }
            if marker == 0xDA {  // start of scan: the compressed picture follows up to EOI
                out += b[end...]
                return out
            }
            i = end
        }
        throw .truncated
    }

    private static let pngMetadataChunks: Set<String> = ["eXIf", "tEXt", "iTXt", "zTXt", "tIME"]

    private static func stripPNG(_ b: [UInt8]) throws(Failure) -> [UInt8] {
        var out = Array(b[0..<8])
        var i = 8
        while i + 8 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            let end = i + 12 + length
            guard length >= 0, end <= b.count else { throw .truncated }
            if !pngMetadataChunks.contains(type) { out += b[i..<end] }
            if type == "IEND" { return out }
            i = end
        }
        throw .truncated
    }
}
