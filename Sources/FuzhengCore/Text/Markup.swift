import Foundation

/// The one escaper for text placed inside HTML, SVG and XML (site pages, disclosure HTML, DOCX, XLSX):
/// safe both between tags and inside a double- or single-quoted attribute value, so a value that came
/// from a user can never end an attribute or open an element.
public enum Markup {
    public static func escape(_ s: String) -> String {
        // Most strings need no escaping: skip the per-scalar copy for them.
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 < 0x20 }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // XML 1.0 forbids the other control characters; HTML shows none of them.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// One encoder for values placed in a link's query string: everything but unreserved characters and
/// "/" is percent-encoded, so a search text holding "&", "=", "#" or "+" stays one value.
public enum QueryText {
    private static let allowed = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")

    public static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
