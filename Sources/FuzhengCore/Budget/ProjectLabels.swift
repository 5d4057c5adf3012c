import Foundation

/// Short labels for choosing a project from a list. A unit's project names usually begin with the same
/// fund document ("怀财字【2023】7号…") and its codes with the same region and year, so a picker that
/// shows the start of either shows the same text on every line; these keep the part that differs.
public enum ProjectLabels {
    /// Characters after which a shared start of the names may be cut: the ends of a fund document, a
    /// bracket or a separator. Cutting elsewhere could split a word that the projects merely begin alike
    /// ("电子政务平台建设" and "电子政务平台运维" would become "建设" and "运维").
    static let boundaries: Set<Character> = ["号", "】", "〕", "]", "）", ")", "：", ":", " ", "\u{3000}", "—", "-", "·"]
    /// The fewest characters of a code to show: enough to tell a unit's projects apart by eye even when
    /// they differ in one place only.
    static let minimumTail = 8

    /// "…5210005Q 电子政务平台建设资金" for each project, in the order given; distinct when the codes are.
    public static func labels(_ projects: [Project]) -> [(code: String, label: String)] {
        // A lone project's whole code counts as shared: its label is as short as it would be beside others.
        let sharedCode = projects.count > 1 ? commonPrefix(projects.map(\.code)).count : projects.first?.code.count ?? 0
        let sharedName = projects.count > 1 ? cutAtBoundary(commonPrefix(projects.map(\.name))) : ""
        return projects.map { p in
            let keep = min(p.code.count, max(minimumTail, p.code.count - sharedCode))
            let tail = keep < p.code.count ? "…" + p.code.suffix(keep) : p.code
            return (p.code, "\(tail) \(distinctName(p, sharedStart: sharedName))")
        }
    }

    /// The name without the start all the projects share, or without its own fund document when it is the
    /// only project; the whole name when nothing would be left.
    static func distinctName(_ p: Project, sharedStart: String) -> String {
        var rest = Substring(p.name)
        if !sharedStart.isEmpty, rest.hasPrefix(sharedStart) {
            rest = rest.dropFirst(sharedStart.count)
        } else if let document = p.fundDocument, !document.isEmpty, rest.hasPrefix(document) {
            rest = rest.dropFirst(document.count)
        }
        let trimmed = rest.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? p.name : trimmed
    }

    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map(Array.init) else { return "" }
        for s in strings.dropFirst() {
            let chars = Array(s)
            var n = 0
            while n < min(prefix.count, chars.count) && prefix[n] == chars[n] { n += 1 }
            prefix = Array(prefix.prefix(n))
        }
        return String(prefix)
    }

    /// The longest start of `prefix` that ends just after a boundary character.
    static func cutAtBoundary(_ prefix: String) -> String {
        guard let last = prefix.lastIndex(where: { boundaries.contains($0) }) else { return "" }
        return String(prefix[...last])
    }
}
