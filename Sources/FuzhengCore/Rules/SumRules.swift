/// Every sum identity a reader could check with a calculator.
enum SumRules {
    static let all: [Rule] = [
        Rule("SUM-REV-TOTAL", .error, zh: "收入合计等于各来源之和", en: "total revenue equals the sum by source") { b, _, sink in
            guard let stated = b.stated[.totalRevenue], stated != b.totalRevenue else { return }
            let (zh, en) = mismatch("预算收入合计", "Total revenue", stated: stated, derived: b.totalRevenue)
            sink.report("stated.total_revenue", zh: zh, en: en)
        },
        Rule("SUM-EXP-TOTAL", .error, zh: "支出合计等于各支出之和", en: "total expenditure equals the sum of lines") { b, _, sink in
            guard let stated = b.stated[.totalExpenditure], stated != b.totalExpenditure else { return }
            let (zh, en) = mismatch("支出预算合计", "Total expenditure", stated: stated, derived: b.totalExpenditure)
            sink.report("stated.total_expenditure", zh: zh, en: en)
        },
        Rule("SUM-EXP-SPLIT", .error, zh: "支出合计 = 基本支出 + 项目支出", en: "expenditure = basic + project") { b, _, sink in
            guard let total = b.stated[.totalExpenditure], let basic = b.stated[.basic], let project = b.stated[.project],
                  total != basic + project else { return }
            sink.report("stated.total_expenditure",
                        zh: "支出合计\(total.readable)不等于基本支出\(basic.readable)与项目支出\(project.readable)之和",
                        en: "total \(total.readable) is not basic \(basic.readable) + project \(project.readable)")
        },
        Rule("SUM-BASIC", .error, zh: "基本支出 = 人员经费 + 日常公用经费", en: "basic = personnel + public-use") { b, _, sink in
            if let basic = b.stated[.basic], let personnel = b.stated[.personnel], let publicUse = b.stated[.publicUse],
               basic != personnel + publicUse {
                sink.report("stated.basic", zh: "基本支出\(basic.readable)不等于人员经费\(personnel.readable)与日常公用经费\(publicUse.readable)之和",
                            en: "basic \(basic.readable) is not personnel \(personnel.readable) + public-use \(publicUse.readable)")
            }
            if let stated = b.stated[.basic], stated != b.basicExpenditure {
                let (zh, en) = mismatch("基本支出", "Basic expenditure", stated: stated, derived: b.basicExpenditure)
                sink.report("stated.basic", zh: zh, en: en)
            }
            for (i, line) in b.expenditure.enumerated() where line.kind == .basic && line.basicCategory == nil {
                sink.report("expenditure[\(i)]", zh: "基本支出行未标明属于人员经费还是日常公用经费", en: "a basic line is neither personnel nor public-use")
            }
        },
        Rule("SUM-BASIC-PARTS", .error, zh: "人员经费、日常公用经费与明细一致", en: "personnel and public-use match their lines") { b, _, sink in
            if let stated = b.stated[.personnel], stated != b.personnelExpenditure {
                let (zh, en) = mismatch("人员经费", "Personnel", stated: stated, derived: b.personnelExpenditure)
                sink.report("stated.personnel", zh: zh, en: en)
            }
            if let stated = b.stated[.publicUse], stated != b.publicUseExpenditure {
                let (zh, en) = mismatch("日常公用经费", "Public-use", stated: stated, derived: b.publicUseExpenditure)
                sink.report("stated.public_use", zh: zh, en: en)
            }
        },
        Rule("SUM-PROJECT", .error, zh: "项目支出 = 各项目预算之和", en: "project expenditure = sum of projects") { b, _, sink in
            if let stated = b.stated[.project], stated != b.projectExpenditure {
                let (zh, en) = mismatch("项目支出", "Project expenditure", stated: stated, derived: b.projectExpenditure)
                sink.report("stated.project", zh: zh, en: en)
            }
            if !b.projects.isEmpty, b.projectExpenditure != b.projectsTotal {
                sink.report("projects", zh: "项目支出明细合计\(b.projectExpenditure.readable)，而各项目预算数合计\(b.projectsTotal.readable)",
                            en: "project lines add up to \(b.projectExpenditure.readable) but the projects' budgets to \(b.projectsTotal.readable)")
            }
            for project in b.projects {
                let lines = b.expenditure.filter { $0.projectCode == project.code }.sum(\.amount)
                if lines != .zero || b.expenditure.contains(where: { $0.projectCode != nil }), lines != project.amount {
                    sink.report("projects[\(project.code)].amount",
                                zh: "项目“\(project.name)”预算数\(project.amount.readable)，对应支出行合计\(lines.readable)",
                                en: "project “\(project.name)” is \(project.amount.readable) but its expenditure lines add up to \(lines.readable)")
                }
                if project.fiscalFunds + project.otherFunds != project.amount {
                    sink.report("projects[\(project.code)].fiscalFunds",
                                zh: "项目“\(project.name)”财政资金\(project.fiscalFunds.readable)加其他资金\(project.otherFunds.readable)不等于预算数\(project.amount.readable)",
                                en: "project “\(project.name)”: fiscal \(project.fiscalFunds.readable) + other \(project.otherFunds.readable) ≠ \(project.amount.readable)")
                }
            }
        },
        Rule("SUM-BALANCE", .error, zh: "收支平衡", en: "revenue equals expenditure") { b, _, sink in
            guard !b.revenue.isEmpty || !b.expenditure.isEmpty, b.totalRevenue != b.totalExpenditure else { return }
            sink.report("revenue", zh: "收入合计\(b.totalRevenue.readable)与支出合计\(b.totalExpenditure.readable)不平衡",
                        en: "revenue \(b.totalRevenue.readable) does not balance expenditure \(b.totalExpenditure.readable)")
        },
        Rule("SUM-3PUBLIC", .error, zh: "“三公”经费合计等于各项之和", en: "three public costs total equals its items") { b, _, sink in
            guard let stated = b.threePublic.statedTotal, stated != b.threePublic.items.total else { return }
            let (zh, en) = mismatch("“三公”经费", "Three public costs", stated: stated, derived: b.threePublic.items.total)
            sink.report("threePublic.statedTotal", zh: zh, en: en)
        },
        Rule("SUM-YOY", .error, zh: "比上年增减 = 本年 − 上年", en: "each change = current − prior") { b, _, sink in
            for item in ChangeItem.allCases {
                guard let stated = b.prior.statedChanges[item] else { continue }
                guard let derived = b.change(item) else {
                    sink.report("prior.\(item.rawValue)", zh: "写明了比上年增减，但缺少上年数", en: "a change is stated but last year's figure is missing")
                    continue
                }
                if stated != derived {
                    sink.report("prior.\(item.rawValue)",
                                zh: "比上年增减写为\(stated.readable)，按本年与上年数计算应为\(derived.readable)",
                                en: "the change is stated as \(stated.readable) but current − prior is \(derived.readable)")
                }
            }
            let c = b.prior.statedChanges
            if let total = c[.threePublicTotal], let o = c[.outboundTravel], let v = c[.vehicleTotal], let r = c[.reception], total != o + v + r {
                sink.report("prior.three_public_total", zh: "“三公”经费增减\(total.readable)不等于各项增减之和\((o + v + r).readable)",
                            en: "the three-public change \(total.readable) is not the sum of item changes \((o + v + r).readable)")
            }
            if let v = c[.vehicleTotal], let p = c[.vehiclePurchase], let op = c[.vehicleOperation], v != p + op {
                sink.report("prior.vehicle_total", zh: "公务用车增减\(v.readable)不等于购置与运维增减之和\((p + op).readable)",
                            en: "the vehicle change \(v.readable) is not purchase + operation \((p + op).readable)")
            }
        },
        Rule("SUM-PROC-LINE", .error, zh: "采购金额 = 数量 × 单价，且等于各资金来源之和", en: "procurement amount = quantity × unit price = sum of funds") { b, _, sink in
            for (i, line) in b.procurement.enumerated() {
                let product = line.quantity.times(line.unitPrice)
                if product != line.amount {
                    sink.report("procurement[\(i)].amount",
                                zh: "“\(line.itemName)”数量\(line.quantity)×单价\(line.unitPrice.readable)=\(product.readable)，表中金额为\(line.amount.readable)",
                                en: "“\(line.itemName)”: \(line.quantity) × \(line.unitPrice.readable) = \(product.readable), the table says \(line.amount.readable)")
                }
                let funds = line.byFund.values.sum()
                if funds != line.amount {
                    sink.report("procurement[\(i)].byFund", zh: "“\(line.itemName)”各资金来源合计\(funds.readable)不等于金额\(line.amount.readable)",
                                en: "“\(line.itemName)”: funds add up to \(funds.readable), not \(line.amount.readable)")
                }
                if line.smeReserved > line.amount {
                    sink.report("procurement[\(i)].smeReserved", zh: "“\(line.itemName)”预留中小企业份额超过采购金额",
                                en: "“\(line.itemName)”: the SME share exceeds the amount")
                }
            }
        },
        Rule("SUM-PROC-TOTAL", .error, zh: "政府采购预算合计等于各行之和", en: "procurement total equals its lines") { b, _, sink in
            for figure in [StatedFigure.procurementTotal, .procurementUnitSubtotal] {
                if let stated = b.stated[figure], stated != b.procurementTotal {
                    let (zh, en) = mismatch(figure.nameZh, "Procurement total", stated: stated, derived: b.procurementTotal)
                    sink.report("stated.\(figure.rawValue)", zh: zh, en: en)
                }
            }
            if let stated = b.stated[.procurementSMEReserved], stated != b.procurementSMEReserved {
                let (zh, en) = mismatch("预留中小微企业份额", "SME share", stated: stated, derived: b.procurementSMEReserved)
                sink.report("stated.procurement_sme_reserved", zh: zh, en: en)
            }
        },
        Rule("SUM-PROC-PROJECT", .error, zh: "项目的采购预算不超过项目预算", en: "a project's procurement does not exceed its budget") { b, _, sink in
            for project in b.projects {
                let lines = b.procurement.filter { $0.projectCode == project.code }
                let total = lines.sum(\.amount)
                if total > project.amount {
                    sink.report("projects[\(project.code)]", zh: "项目“\(project.name)”采购预算\(total.readable)超过项目预算\(project.amount.readable)",
                                en: "project “\(project.name)”: procurement \(total.readable) exceeds its budget \(project.amount.readable)")
                }
                for (i, line) in b.procurement.enumerated() where line.projectCode == project.code {
                    if let repeated = line.projectAmount, repeated != project.amount {
                        sink.report("procurement[\(i)].projectAmount", zh: "采购表中项目“\(project.name)”的预算为\(repeated.readable)，绩效目标表为\(project.amount.readable)",
                                    en: "the procurement table gives “\(project.name)” \(repeated.readable); its target table \(project.amount.readable)")
                    }
                }
            }
        },
        Rule("SUM-ASSETS", .error, zh: "资产总额等于各类之和", en: "asset total equals its categories") { b, _, sink in
            let a = b.assets
            let value = a.categories.sum(\.value)
            let count = a.categories.reduce(Int64(0)) { $0 + $1.quantity.thousandths }
            let hasVehiclesOrEquipment = a.vehicles.quantity.thousandths + a.highValueEquipment.quantity.thousandths + a.other.quantity.thousandths > 0
            if a.total.value != value {
                sink.report("assets.total.value", zh: "资产总额\(a.total.value.readable)不等于各类资产价值之和\(value.readable)",
                            en: "asset total \(a.total.value.readable) is not the sum of categories \(value.readable)")
            }
            // Buildings are counted in m², the rest in items: the total count adds items only when no building is held.
            if a.buildings.quantity.thousandths == 0 || !hasVehiclesOrEquipment, a.total.quantity.thousandths != count {
                sink.report("assets.total.quantity", zh: "资产总数\(a.total.quantity)不等于各类数量之和\(Quantity(thousandths: count))",
                            en: "asset count \(a.total.quantity) is not the sum of categories \(Quantity(thousandths: count))")
            }
            if a.officeSpace.quantity > a.buildings.quantity || a.officeSpace.value > a.buildings.value {
                sink.report("assets.officeSpace", zh: "办公用房超过房屋总量", en: "office space exceeds buildings")
            }
            if let stated = b.stated[.assetsPriorYearEnd], stated != a.total.value {
                sink.report("stated.assets_prior_year_end", zh: "文字所述上年末固定资产\(stated.readable)与表中资产总额\(a.total.value.readable)不一致",
                            en: "the text gives \(stated.readable) of fixed assets, the table \(a.total.value.readable)")
            }
        },
    ]
}
