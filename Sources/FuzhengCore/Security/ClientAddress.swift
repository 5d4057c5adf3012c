import Foundation

/// Who is really on the other end. X-Forwarded-For is written by whoever sends the request, so only the
/// entries that a trusted proxy appended can be believed: walking from the right (the socket peer, then
/// each proxy's addition), the first address that is not one of our proxies is the client.
public enum ClientAddress {
    /// `socket` is the TCP peer (nil only for requests made inside the process, e.g. tests: then the
    /// header's right-most entry is the nearest hop). `trustedProxies` are addresses or IPv4 CIDR blocks.
    public static func resolve(socket: String?, forwardedFor: [String], trustedProxies: [String]) -> String? {
        guard !trustedProxies.isEmpty else { return socket }
        if let socket, !isTrusted(socket, trustedProxies) { return socket }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for hop in hops.reversed() where !isTrusted(hop, trustedProxies) {
            return isPlausibleAddress(hop) ? hop : nil
        }
        // Every hop is one of ours: the request started at a proxy.
        return hops.first ?? socket
    }

    static func isTrusted(_ address: String, _ proxies: [String]) -> Bool {
        proxies.contains { proxy in
            if let slash = proxy.firstIndex(of: "/") {
                guard let bits = Int(proxy[proxy.index(after: slash)...]), (0...32).contains(bits),
                      let network = ipv4(String(proxy[..<slash])), let host = ipv4(address) else { return false }
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                return network & mask == host & mask
            }
            return proxy == address
        }
    }

    static func ipv4(_ s: String) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let n = UInt32(part), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    /// An IPv4 or IPv6 literal, nothing else: a forged header must not put arbitrary text in the audit trail.
    static func isPlausibleAddress(_ s: String) -> Bool {
        if ipv4(s) != nil { return true }
        return s.count <= 45 && s.contains(":") && s.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    /// FUZHENG_TRUST_PROXY: a comma-separated list of proxy addresses or IPv4 CIDR blocks; empty or "false"
    /// trusts none. nil when an entry is neither.
    public static func parseProxies(_ text: String) -> [String]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "false" { return [] }
        var out: [String] = []
        for item in trimmed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let slash = item.firstIndex(of: "/") {
                guard ipv4(String(item[..<slash])) != nil, let bits = Int(item[item.index(after: slash)...]),
                      (0...32).contains(bits) else { return nil }
            } else if !isPlausibleAddress(item) {
                return nil
            }
            out.append(item)
        }
        return out
    }
}
