import Foundation

/// The county's 公文 for `fuzheng demo county`: document `index` of the data set is the same on every machine for the
/// same seed (its own `SplitMix64` stream), so the set is made one batch at a time without holding it. Text from
/// Resources/demo/county-documents.json.
public struct CountyDocuments: Sendable, Decodable {
    struct Share: Sendable, Decodable {
        var type: String?
        var step: String?
        var share: Int
    }

    var types: [Share]
    var topics: [String]
    var sentences: [String]
    var steps: [Share]
    var opennessShares: [String: Int]
    var incomingSenders: [String]
    var incomingSteps: [Share]

    public static let shared: CountyDocuments = {
        do {
            return try JSONDecoder().decode(CountyDocuments.self,
                                            from: Catalogs.resource("county-documents", "json", "demo"))
        } catch {
            preconditionFailure("FuzhengCore resource demo/county-documents.json is missing or malformed: \(error)")
        }
    }()

    public struct Unit: Sendable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public struct Generated: Sendable {
        public var unitCode: String
        public var year: Int
        public var document: OutgoingDocument
        public var step: DocumentStep
        /// 发文字号 of an issued document (or one past 编号); written as text, with a 机关代字 of its own.
        public var number: String?
        public var dayOfYear: Int
        public var drafter: String
    }

    static func pick(_ shares: [Share], _ roll: Int) -> Share? {
        var acc = 0
        for s in shares {
            acc += s.share
            if roll < acc { return s }
        }
        return nil
    }

    /// Document `index` of the set: its unit, year, type, text, step and number.
    public func document(_ index: Int, seed: UInt64, units: [Unit], years: [Int]) -> Generated {
        var rng = SplitMix64(seed: seed ^ Fuzzer.hash("document:\(index)"))
        let unit = units[rng.below(units.count)]
        let year = years[rng.below(years.count)]
        let typeName = Self.pick(types, rng.below(1000))?.type ?? "tongzhi"
        let type = DocumentType(rawValue: typeName) ?? .notice
        let topic = topics[rng.below(topics.count)]
        let title = type == .minutes ? "\(unit.name)关于\(topic)的会议纪要" : "\(unit.name)关于\(topic)的\(type.nameZh)"
        let day = 1 + rng.below(360)
        var body: [String] = []
        for k in 0..<(2 + rng.below(3)) {
            let s = sentences[(index + k * 7 + rng.below(sentences.count)) % sentences.count]
            body.append(s.replacingOccurrences(of: "{unit}", with: unit.name)
                .replacingOccurrences(of: "{topic}", with: topic)
                .replacingOccurrences(of: "{n}", with: String(1 + rng.below(28)))
                .replacingOccurrences(of: "{date}", with: "\(year)年\(1 + day / 31)月\(1 + day % 28)日"))
        }
        let stepName = Self.pick(steps, rng.below(1000))?.step
        let step = stepName.flatMap(DocumentStep.init(rawValue:)) ?? .issued
        let opennessRoll = rng.below(1000)
        let zhudong = opennessShares["zhudong"] ?? 700
        let openness: Openness = opennessRoll < zhudong ? .proactive
            : opennessRoll < zhudong + (opennessShares["yishenqing"] ?? 150) ? .onRequest : .withheld
        let numbered = [.seal, .issue, .issued].contains(step)
        // A 机关代字 per unit (怀 and its code) and a sequence over the set: no number is given twice.
        let number = numbered ? "怀\(unit.code)字〔\(year)〕\(index + 1)号" : nil
        let document = OutgoingDocument(
            type: type, issuers: [unit.code], title: title, mainRecipients: [Recipient(name: "各乡镇人民政府"),
                                                                               Recipient(name: "县政府各部门")],
            body: body.joined(separator: "\n"), openness: openness, printedBy: unit.name,
            printedOn: numbered ? String(format: "%04d-%02d-%02d", year, 1 + day / 31, 1 + day % 28) : "",
            writtenOn: "\(year)年\(1 + day / 31)月\(1 + day % 28)日")
        return Generated(unitCode: unit.code, year: year, document: document, step: step, number: number,
                         dayOfYear: day, drafter: "u\(unit.code)")
    }

    /// A received document of the set (收文): the receiving unit, its sender and 文号, the step it is at.
    public struct GeneratedIncoming: Sendable {
        public var unitCode: String
        public var year: Int
        public var sender: String
        public var senderNumber: String
        public var title: String
        public var step: IncomingStep
        public var urgency: DocumentUrgency
        public var dayOfYear: Int
    }

    /// 收文 `index` of the set, from its own stream (the 发文 of the same index are unchanged).
    public func incoming(_ index: Int, seed: UInt64, units: [Unit], years: [Int]) -> GeneratedIncoming {
        var rng = SplitMix64(seed: seed ^ Fuzzer.hash("incoming:\(index)"))
        let unit = units[rng.below(units.count)]
        let year = years[rng.below(years.count)]
        let sender = incomingSenders[rng.below(incomingSenders.count)]
        let topic = topics[rng.below(topics.count)]
        let type = [DocumentType.notice, .notice, .notice, .opinion, .reply, .letter][rng.below(6)]
        let step = Self.pick(incomingSteps, rng.below(1000))?.step.flatMap(IncomingStep.init(rawValue:)) ?? .done
        let urgency: DocumentUrgency = rng.below(10) == 0 ? .urgent : .normal
        let short = sender.hasSuffix("人民政府办公厅") ? "冀政办" : sender.hasPrefix("张家口市") ? "张市" : "怀乡"
        return GeneratedIncoming(unitCode: unit.code, year: year, sender: sender,
                                 senderNumber: "\(short)字〔\(year)〕\(1 + index % 400)号",
                                 title: "\(sender)关于\(topic)的\(type.nameZh)", step: step, urgency: urgency,
                                 dayOfYear: 1 + rng.below(360))
    }
}
