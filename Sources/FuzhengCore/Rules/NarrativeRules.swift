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
        Rule("TEXT-STALE-YEAR", .warning, zh: "文字不沿用往年的年份和日期",
             en: "texts name no earlier year and no date outside the budget year") { b, _, sink in
            staleMentions(b, DatedTextRules.shared, &sink)
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

    /// One finding per stale mention: an earlier year (unless it is last year named in a comparison), a date outside
    /// the budget year, or a field whose date the rules fix (the assets' 截止时间) holding another date.
    static func staleMentions(_ b: Budget, _ rules: DatedTextRules, _ sink: inout FindingSink) {
        let year = b.fiscalYear
        var fields = b.textFields
        if !b.assets.asOf.isEmpty {
            fields.insert(BudgetTextField(path: "assets.asOf", labelZh: "固定资产截止时间", labelEn: "the assets' as-of date",
                                          text: b.assets.asOf), at: 0)
        }
        for field in fields {
            let expected = rules.fieldDates[field.path]
            for m in rules.mentions(in: field.text) {
                let quote = m.text
                switch expected {
                case .endOfPreviousYear:
                    guard m.year != year - 1 || m.month != 12 || m.day != 31 else { continue }
                    sink.report(field.path,
                                zh: "\(field.labelZh)为“\(quote)”，应为上年末（\(year - 1)年12月31日）",
                                en: "\(field.labelEn) is “\(quote)”; it should be the end of last year (\(year - 1)-12-31)",
                                subject: field.text)
                case nil:
                    if m.month != nil {
                        guard m.year != year else { continue }
                        sink.report(field.path,
                                    zh: "\(field.labelZh)中的日期“\(quote)”不在\(year)年预算年度内：请改正，或确认无误",
                                    en: "\(field.labelEn) has the date “\(quote)”, outside the budget year \(year): "
                                        + "correct it, or confirm it is meant",
                                    subject: field.text)
                    } else {
                        guard m.year < year, !(m.isComparison && m.year == year - 1) else { continue }
                        sink.report(field.path,
                                    zh: "\(field.labelZh)写有“\(quote)”，早于\(year)年预算年度，疑为沿用往年的表述：请改正，或确认无误",
                                    en: "\(field.labelEn) names “\(quote)”, before the budget year \(year), as if copied "
                                        + "from an earlier year: correct it, or confirm it is meant",
                                    subject: field.text)
                    }
                }
            }
        }
    }
}
