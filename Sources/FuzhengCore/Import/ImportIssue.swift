/// Something the importer could not read, with where it is.
public struct ImportIssue: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var field: String
    public var messageZh: String
    public var messageEn: String

    public init(line: Int, field: String, zh: String, en: String) {
        self.line = line
        self.field = field
        self.messageZh = zh
        self.messageEn = en
    }

    public var description: String { "第\(line)行 [\(field)] \(messageZh) / line \(line) [\(field)]: \(messageEn)" }
}

public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var issues: [ImportIssue]

    public var description: String {
        (["\(source)：无法导入，发现 \(issues.count) 处问题 / cannot import: \(issues.count) problem(s)"]
            + issues.map { "\(source):\($0.line): \($0)" }).joined(separator: "\n")
    }
}
