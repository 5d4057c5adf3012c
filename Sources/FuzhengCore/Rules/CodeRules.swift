/// Codes exist in their catalogs and their names match.
enum CodeRules {
    static let all: [Rule] = [
        Rule("CODE-FUNCTION", .error, zh: "功能分类科目存在于目录中", en: "function codes are in the catalog") { b, ctx, sink in
            for (i, line) in b.expenditure.enumerated() {
                guard let code = line.functionCode else { continue }
                if ![3, 5, 7].contains(code.count) || !code.allSatisfy(\.isNumber) {
                    sink.report("expenditure[\(i)].functionCode", zh: "功能分类科目“\(code)”应为3、5或7位数字（类/款/项）",
                                en: "function code “\(code)” must have 3, 5 or 7 digits")
                } else if ctx.catalogs.functionClassification[code] == nil {
                    sink.report("expenditure[\(i)].functionCode", zh: "功能分类科目“\(code)”不在目录中", en: "function code “\(code)” is not in the catalog")
                }
            }
        },
        Rule("CODE-ECONOMIC", .error, zh: "经济分类科目存在于目录中", en: "economic codes are in the catalog") { b, ctx, sink in
            for (i, line) in b.expenditure.enumerated() {
                if let code = line.economicCode, ctx.catalogs.departmentEconomic[code] == nil {
                    sink.report("expenditure[\(i)].economicCode", zh: "部门预算支出经济分类“\(code)”不在目录中", en: "economic code “\(code)” is not in the catalog")
                }
                if let code = line.governmentEconomicCode, ctx.catalogs.governmentEconomic[code] == nil {
                    sink.report("expenditure[\(i)].governmentEconomicCode", zh: "政府预算支出经济分类“\(code)”不在目录中",
                                en: "government economic code “\(code)” is not in the catalog")
                }
            }
        },
        Rule("CODE-PROCUREMENT", .error, zh: "采购品目代码存在于2022版目录中，名称一致", en: "procurement codes are in the 2022 catalog with matching names") { b, ctx, sink in
            for (i, line) in b.procurement.enumerated() {
                guard let name = ctx.catalogs.procurement[line.catalogCode] else {
                    sink.report("procurement[\(i)].catalogCode",
                                zh: "采购品目代码“\(line.catalogCode)”不在《政府采购品目分类目录》（2022年版）中",
                                en: "procurement code “\(line.catalogCode)” is not in the 2022 catalog")
                    continue
                }
                if name != line.itemName && !line.itemName.contains(name) && !name.contains(line.itemName) {
                    sink.report("procurement[\(i)].itemName",
                                zh: "品目代码\(line.catalogCode)在目录中为“\(name)”，表中写作“\(line.itemName)”",
                                en: "code \(line.catalogCode) is “\(name)” in the catalog but “\(line.itemName)” here", severity: .warning)
                }
            }
        },
        Rule("CODE-PROJECT", .notice, zh: "项目编码格式", en: "project code format") { b, _, sink in
            let year = String(b.fiscalYear % 100)
            for project in b.projects {
                let code = project.code
                let valid = code.count == 21 && code.prefix(8).allSatisfy(\.isNumber) && code.dropFirst(8).first?.isLetter == true
                if !valid {
                    sink.report("projects[\(code)].code", zh: "项目编码“\(code)”不符合“区划6位+年度2位+P+11位+校验位”的格式",
                                en: "project code “\(code)” is not region(6) + year(2) + P + 11 digits + check")
                } else if String(code.dropFirst(6).prefix(2)) != year {
                    sink.report("projects[\(code)].code", zh: "项目编码中的年度与预算年度\(b.fiscalYear)不一致",
                                en: "the year inside project code \(code) is not \(b.fiscalYear)")
                }
            }
        },
    ]
}
