/// The words of a disclosure: the right level of government, no slips a reader would spot.
enum NarrativeRules {
    /// A 行政区划代码 ending in 00 is a prefecture or province; other codes are county-level.
    static func isCounty(_ ctx: RuleContext, _ b: Budget) -> Bool {
        if let region = ctx.regionCode, region.count == 6 { return !region.hasSuffix("00") }
        return b.department.name.has("县") || b.units.contains { $0.name.has("县") }
    }

    /// Words that slip in twice when a template is edited (a defect national checks list).
    static let doubledWords = ["增加增加", "减少减少", "支出支出", "预算预算", "经费经费", "工作工作", "的的", "了了"]

    static let all: [Rule] = [
        Rule("TEXT-LEVEL", .warning, zh: "名词解释与说明使用本级政府的表述", en: "glossary and text name the unit's own level of government") { b, ctx, sink in
            guard isCounty(ctx, b) else { return }
            for (i, entry) in b.narrative.glossary.enumerated() {
                for word in ["省级财政", "省级部门", "省级预算", "纳入省级"] where entry.definition.has(word) {
                    sink.report("narrative.glossary[\(i)]",
                                zh: "县级单位的名词解释“\(entry.term)”中写有“\(word)”，应为“县级”或“本级”",
                                en: "a county unit's glossary entry “\(entry.term)” says \(word); it should say county level")
                    break
                }
            }
        },
        Rule("TEXT-REPEAT", .warning, zh: "无重复字词", en: "no doubled words") { b, _, sink in
            let texts: [(String, String)] = [("narrative.duties", b.narrative.duties), ("narrative.overallTarget", b.narrative.overallTarget),
                                             ("operatingCosts.use", b.operatingCosts.use), ("prior.reasons.basic", b.prior.reasons.basic),
                                             ("prior.reasons.project", b.prior.reasons.project), ("prior.reasons.threePublic", b.prior.reasons.threePublic)]
                + b.narrative.dutyTargets.enumerated().map { ("narrative.dutyTargets[\($0.offset)]", $0.element) }
            for (path, text) in texts {
                if let doubled = doubledWords.first(where: { text.has($0) }) {
                    sink.report(path, zh: "“\(doubled)”疑为重复字词", en: "“\(doubled)” looks doubled")
                }
            }
        },
        Rule("TEXT-PERCENT", .notice, zh: "百分比书写规范", en: "percentages are well formed") { b, _, sink in
            for (i, text) in b.narrative.dutyTargets.enumerated() {
                guard let amp = text.firstIndex(of: "&") else { continue }
                let digits = text[..<amp].reversed().prefix { ("0"..."9").contains($0) }
                guard !digits.isEmpty else { continue }
                let slip = String(digits.reversed()) + "&"
                sink.report("narrative.dutyTargets[\(i)]", zh: "“\(slip)”疑为百分号误写（应为%）", en: "“\(slip)” looks like a mistyped %")
            }
        },
    ]
}
