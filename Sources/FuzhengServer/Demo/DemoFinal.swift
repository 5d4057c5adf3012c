import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The office's 2023 部门决算, built from the demo's own year (the budget, its 追加, the payments, the published
/// self-evaluations) with the year-end figures a clerk would type: basic spending a little under budget, no trip
/// abroad, fewer receptions, last year's 决算 for the changes, and a reason for every line off its budget by more
/// than the threshold. Published, so the portal shows it beside the 2023 budget. `serve` with the demo only.
enum DemoFinal {
    /// Why each 项 ended off its adjusted budget, by function code.
    static let reasons: [String: String] = [
        "2010399": "电子政务平台二期部分模块验收推迟至2024年，合同尾款未支付，结转下年使用",
        "2030607": "民兵预备役训练下半年按上级部署调整，部分经费未使用",
        "2010302": "年中追加的综合事务经费部分用于年底采购，按合同约定次年初支付",
    ]

    static func load(_ app: Application) async throws {
        guard let unit = try await UnitModel.query(on: app.db).filter(\.$code == "434001").first(),
              let sources = try await FinalPage.sources(unit: unit.code, year: 2023, on: app.db),
              try await FinalPage.find(unit: unit.code, year: 2023, on: app.db) == nil else { return }
        var accounts = FinalPage.accounts(sources, inputs: nil)
        var i = accounts.inputs
        // Basic spending as booked: 97% of each budgeted line, to the fen.
        for n in i.basicSpent.indices {
            i.basicSpent[n].amount = Fen(i.basicSpent[n].amount.value / 100 * 97)
        }
        i.threePublic = ThreePublicItems(outboundTravel: .zero, vehiclePurchase: .zero, vehicleOperation: .zero,
                                         reception: .yuan(1_803_000))
        i.counts = ThreePublicCounts(outboundGroups: 0, outboundPeople: 0, vehiclesBought: 0, vehiclesKept: 0,
                                     receptionBatches: 86, receptionPeople: 645)
        i.operatingCosts = .yuan(2_764_300)
        i.procurement = ProcurementActual(goods: .yuan(199_200), works: .zero, services: .yuan(4_250_000),
                                          sme: .yuan(3_890_000))
        i.assets.total = AssetRow(quantity: Quantity(1_012), value: .yuan(2_311_900))
        i.assets.other = AssetRow(quantity: Quantity(1_012), value: .yuan(2_311_900))
        i.prior = PriorFinal(income: .yuan(20_036_400), expenditure: .yuan(19_862_500), basic: .yuan(11_805_300),
                             project: .yuan(8_057_200),
                             threePublic: ThreePublicItems(reception: .yuan(2_054_000)))
        i.texts = [
            "total": "电子政务平台二期尾款结转下年支付，项目支出减少",
            "basic": "人员经费按实际在编人数据实列支",
            "project": "电子政务平台建设资金部分结转下年使用",
            "threePublic": "严格执行公务接待标准，压减接待批次",
            "threePublicGap": "全年未安排因公出国（境），公务接待严格控制",
            "operatingCosts": "厉行节约，压减一般性支出",
            "department": "全年预算执行总体平稳，重点项目按计划推进，电子政务平台二期尾款结转下年；会议、接待支出控制在预算内。",
        ]
        i.dutyActuals = ["0": "8%", "1": "100%", "2": "95%", "3": "一体化移动办公系统已覆盖全县党政机关，实现网上办文办会"]
        accounts.inputs = i
        // Income as received: the budgeted appropriation; closing balances by the identity.
        i.funds = i.funds.map { flow in
            var f = flow
            f.closing = f.opening + f.received - accounts.spent(from: f.source)
            return f
        }
        accounts.inputs = i
        let threshold = accounts.rules.gapReasonPercent * 100
        for c in accounts.generalPublicComparison() where (c.gapBasisPoints ?? 0) > threshold {
            i.gapReasons[c.code] = reasons[c.code] ?? "部分支出按合同进度支付，未支付部分结转下年使用"
        }
        let json = try FinalAccountsModel.encode(i), kept = try FinalAccountsModel.encode(sources.kept(for: i))
        let now = app.fuzheng.clock.now()
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            let m = FinalAccountsModel()
            (m.unitCode, m.year, m.status, m.version, m.inputsJSON) = ("434001", 2023, "published", 2, json)
            (m.updatedBy, m.updatedAt, m.publishedAt, m.publishedJSON) = ("caiwu", now, now, json)
            m.publishedSourcesJSON = kept
            try await m.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "final-accounts", objectID: "434001/2023",
                                 summary: "演示：怀来县人民政府办公室2023年度部门决算（已公开）"))
        }
    }
}
