import Foundation

/// Where the platform may send a browser after a login, a language switch or a form: only a path on
/// this site. Browsers drop tabs and newlines from URLs and read "\" as "/", so "/\t/evil.example" and
/// "/\evil.example" would leave the site; they are refused before and after percent-decoding.
public enum RedirectPolicy {
    public static func sameOriginPath(_ candidate: String?) -> String? {
        guard let candidate, candidate.utf8.count <= 2048 else { return nil }
        var text = candidate
        // Two rounds of decoding catch a doubly encoded "%252F"; a third is never needed by our own links.
        for _ in 0...2 {
            guard isPlainLocalPath(text) else { return nil }
            guard let decoded = text.removingPercentEncoding else { return nil }
            if decoded == text { return candidate }
            text = decoded
        }
        return nil
    }

    private static func isPlainLocalPath(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") { return false }
        return !bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }
    }
}
