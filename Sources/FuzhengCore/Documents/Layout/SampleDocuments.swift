import Foundation

/// Fixed documents for the layout's checks and benchmarks: a 通知 of about five pages with every part of the standard
/// (份号, 紧急程度, headings of four levels, 附件说明, seal, 抄送, 印发), a 函 and a 纪要. Text from the seed's duties.
public enum SampleDocuments {
    static let sentences = [
        "县政府办公室负责协助县政府领导同志处理县政府日常工作，组织起草县政府文件，审核以县政府和县政府办公室名义发布的公文。",
        "一体化移动办公系统实现全县各级党政机关网络化、无纸化办公，平台正常运行率达到100%，遭受攻击、病毒、数据库损坏或网络故障后24小时内恢复。",
        "各单位要督促检查县政府各部门和各乡镇对国务院、省、市、县政府重要会议、文件和领导批示的贯彻落实情况，及时向县政府报告。",
        "严格执行《党政机关公文处理工作条例》，公文办理做到及时、准确、安全，发文字号、密级、紧急程度标注规范。",
        "会议费按照“精简、务实、节约”的原则安排，全县性会议参会人员一般不超过150人，会期一般不超过半天。",
    ]

    public static func notice(paragraphs: Int = 24) -> OutgoingDocument {
        var body: [String] = ["为进一步规范全县公文处理和政务督查工作，经县政府同意，现就有关事项通知如下："]
        let headings = ["一、总体要求", "二、工作任务", "三、保障措施", "四、其他事项"]
        var n = 0
        for (h, heading) in headings.enumerated() {
            body.append(heading)
            for k in 0..<max(1, paragraphs / headings.count) {
                let s = sentences[n % sentences.count]
                n += 1
                switch k {
                case 0: body.append("（\(["一", "二", "三"][h % 3])）加强组织领导。" + s)
                case 1: body.append("\(k).明确责任分工。" + s)
                case 2: body.append("（\(k)）" + s)
                default: body.append(s + sentences[(n + 1) % sentences.count])
                }
            }
        }
        return OutgoingDocument(
            type: .notice, issuers: ["434"], title: "怀来县人民政府办公室关于进一步规范公文处理和政务督查工作的通知",
            mainRecipients: [Recipient(name: "各乡镇人民政府"), Recipient(name: "县政府各部门")],
            copyTo: [Recipient(name: "县委办公室"), Recipient(name: "县人大常委会办公室"), Recipient(name: "县政协办公室"),
                     Recipient(name: "县纪委监委"), Recipient(name: "县法院"), Recipient(name: "县检察院")],
            body: body.joined(separator: "\n"), attachments: ["公文处理工作流程图", "政务督查事项登记表"],
            copyNumber: "000001", urgency: .urgent, printedBy: "怀来县人民政府办公室", printedOn: "2023-03-06",
            writtenOn: "2023年3月6日")
    }

    public static func letter() -> OutgoingDocument {
        OutgoingDocument(
            type: .letter, issuers: ["434"], title: "怀来县人民政府办公室关于商请协助做好移动办公系统测评工作的函",
            mainRecipients: [Recipient(name: "张家口市数据和政务服务局")],
            body: sentences[1] + "\n特此函商，请予支持。", printedOn: "2023-05-10", writtenOn: "2023年5月10日")
    }

    public static func minutes() -> OutgoingDocument {
        OutgoingDocument(
            type: .minutes, issuers: ["XZF"], title: "怀来县人民政府常务会议纪要",
            mainRecipients: [Recipient(name: "各乡镇人民政府")], copyTo: [Recipient(name: "县委办公室")], body: """
                2023年4月12日，县长主持召开县政府第12次常务会议，研究部署公文处理和政务督查工作。纪要如下：
                一、会议听取了县政府办公室关于一体化移动办公系统建设情况的汇报。
                \(sentences[2])
                出席：县长，各副县长，县政府办公室主任，县财政局局长，县政府办公室各股室负责人
                请假：县政府党组成员（外出学习）
                列席：县审计局局长
                """, printedBy: "怀来县人民政府办公室", printedOn: "2023-04-13",
            writtenOn: "2023年4月12日")
    }

    public static func inputs(number: String = "怀政办字〔2023〕7号") -> [(name: String, input: DocumentLayout.Input)] {
        [("notice", .init(document: notice(), number: number, issuerNames: ["怀来县人民政府办公室"], sealed: true)),
         ("letter", .init(document: letter(), number: "怀政办函〔2023〕3号", issuerNames: ["怀来县人民政府办公室"],
                          sealed: true)),
         ("minutes", .init(document: minutes(), number: "〔2023〕12号", issuerNames: ["怀来县人民政府"]))]
    }
}
