/// Configurable standards: office equipment and furniture price caps, official document numbers.
enum StandardRules {
    /// GB/T 9704-2012 发文字号: 机关代字 + year in 〔〕 + number without 第 or leading zeros + 号.
    static func documentNumberProblem(_ number: String) -> (String, String)? {
        if number.has("【") || number.has("[") || number.has("（") || number.has("(") {
            let fixed = number.replacingOccurrences(of: "【", with: "〔").replacingOccurrences(of: "】", with: "〕")
                .replacingOccurrences(of: "[", with: "〔").replacingOccurrences(of: "]", with: "〕")
            return ("发文字号“\(number)”的年份应使用六角括号〔〕，如“\(fixed)”", "“\(number)”: the year takes 六角括号 〔〕, as in “\(fixed)”")
        }
        let malformed = ("发文字号“\(number)”应为“机关代字〔年份〕序号号”", "“\(number)” is not 机关代字〔year〕number号")
        guard let open = number.firstIndex(of: "〔"), open > number.startIndex, let close = number.firstIndex(of: "〕"),
              number.distance(from: open, to: close) == 5, TextScan.allASCIIDigits(number[number.index(after: open)..<close]),
              number.hasSuffix("号")
        else { return malformed }
        let serial = number[number.index(after: close)...].dropLast()
        if serial.hasPrefix("第") {
            return ("发文字号“\(number)”不应编“第”字", "“\(number)”: no 第 before the number")
        }
        guard TextScan.allASCIIDigits(serial) else { return malformed }
        if serial.hasPrefix("0") { return ("发文字号“\(number)”的序号不应有前导零", "“\(number)”: no leading zero in the number") }
        return nil
    }

    static let all: [Rule] = [
        Rule("STD-ASSET-CAP", .warning, zh: "通用办公设备家具单价不超过配置标准", en: "office equipment and furniture within the price caps") { b, ctx, sink in
            let grade = b.units.first?.grade
            for (i, line) in b.procurement.enumerated() {
                guard let (item, cap) = ctx.assetStandards.cap(catalogCode: line.catalogCode, itemName: line.itemName, grade: grade),
                      line.unitPrice > cap else { continue }
                sink.report("procurement[\(i)].unitPrice",
                            zh: "“\(line.itemName)”单价\(MoneyFormat.yuan(line.unitPrice))元超过\(ctx.assetStandards.name)中\(item.item)的上限\(MoneyFormat.yuan(cap))元（\(grade ?? "")，最低使用年限\(item.lifeYears)年）",
                            en: "“\(line.itemName)” at \(MoneyFormat.yuan(line.unitPrice)) 元 exceeds the cap of \(MoneyFormat.yuan(cap)) 元 for \(item.item) in \(ctx.assetStandards.name)")
            }
        },
        Rule("STD-DOC-NUMBER", .warning, zh: "发文字号符合GB/T 9704-2012", en: "document numbers follow GB/T 9704-2012") { b, _, sink in
            var seen = Set<String>()
            for p in b.projects {
                guard let number = p.fundDocument, seen.insert(number).inserted, let (zh, en) = documentNumberProblem(number) else { continue }
                sink.report("projects[\(p.code)].fundDocument", zh: zh, en: en)
            }
        },
    ]
}
