/// Every rule the platform checks a budget against, and the checker.
public enum RuleBook {
    public static let all: [Rule] = RangeRules.all + SumRules.all + CrossTableRules.all + CodeRules.all
        + PerformanceRules.all + StandardRules.all + NarrativeRules.all

    public static func check(_ budget: Budget, context: RuleContext = RuleContext(), rules: [Rule] = RuleBook.all) -> [Finding] {
        var findings: [Finding] = []
        for rule in rules {
            var sink = FindingSink(rule: rule)
            rule.check(budget, context, &sink)
            findings += sink.findings
        }
        if let confirmed = budget.confirmations, !confirmed.isEmpty {
            findings.removeAll { f in confirmed.contains { $0.silences(f) } }
        }
        // Errors first; within a severity, rule-book order and then the order of the lines, as a reader meets them.
        return findings.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    public static func rule(_ id: String) -> Rule? { all.first { $0.id == id } }

    /// Rules whose findings can be wrong about a right text, so a clerk may confirm them one by one.
    public static let confirmable: Set<String> = ["TEXT-STALE-YEAR"]
}

/// "stated X but the lines add up to Y" in both languages.
/// `of`: what the parts are, when the total's own name does not say (收入总计 against 支出总计).
func mismatch(_ what: String, _ whatEn: String, stated: Fen, derived: Fen, of parts: String = "明细",
              partsEn: String = "its parts") -> (String, String) {
    let gap = stated > derived ? stated - derived : derived - stated
    let t = Fen.readable([stated, derived, gap])
    return ("\(what)为\(t[0])，但\(parts)合计为\(t[1])（相差\(t[2])）",
            "\(whatEn) is stated as \(t[0]) but \(partsEn) add up to \(t[1]) (off by \(t[2]))")
}
