/// Totals as a document or a signed-off form states them. The lines are the truth; these are
/// claims about the lines, and the sum rules check every claim.
public enum StatedFigure: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case totalRevenue = "total_revenue"
    case totalExpenditure = "total_expenditure"
    case basic
    case personnel
    case publicUse = "public_use"
    case project
    case procurementTotal = "procurement_total"
    case procurementSMEReserved = "procurement_sme_reserved"
    case procurementUnitSubtotal = "procurement_unit_subtotal"
    case assetsPriorYearEnd = "assets_prior_year_end"

    public var nameZh: String {
        switch self {
        case .totalRevenue: "预算收入合计"
        case .totalExpenditure: "支出预算合计"
        case .basic: "基本支出"
        case .personnel: "人员经费"
        case .publicUse: "日常公用经费"
        case .project: "项目支出"
        case .procurementTotal: "政府采购预算合计"
        case .procurementSMEReserved: "预留中小微企业份额合计"
        case .procurementUnitSubtotal: "政府采购预算单位小计"
        case .assetsPriorYearEnd: "上年末固定资产金额"
        }
    }
}
