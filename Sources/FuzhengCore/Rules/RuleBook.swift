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
func mismatch(_ what: String, _ whatEn: String, stated: Fen, derived: Fen) -> (String, String) {
    ("\(what)为\(stated.readable)，但明细合计为\(derived.readable)（相差\((stated - derived).readable)）",
     "\(whatEn) is stated as \(stated.readable) but its parts add up to \(derived.readable) (off by \((stated - derived).readable))")
}
