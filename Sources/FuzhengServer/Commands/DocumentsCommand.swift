import ConsoleKit
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng documents check PATH.docx`: the 核稿 checks on a Word file, outside the platform — exit 0 when clean,
/// 1 with findings, 2 when the file cannot be read (or holds what a 公文 cannot keep: images, text boxes, tracked
/// changes, comments). Every 发文字号 written in it is checked for the standard's form too.
struct DocumentsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "check")
        var action: String
        @Argument(name: "path", help: "a .docx file")
        var path: String
    }

    var help: String { "Checks a 公文 in a Word file against the 核稿 rules: documents check PATH.docx" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "check" else {
            throw CommandExit(status: 2,
                message: "未知操作 \(signature.action)；可用：check / unknown action; available: check")
        }
        guard let data = FileManager.default.contents(atPath: signature.path) else {
            throw CommandExit(status: 2, message: "无法读取 \(signature.path) / cannot read the file")
        }
        let report = Self.check(data)
        for line in report.lines { context.console.print(line) }
        if report.status != 0 { throw CommandExit(status: report.status, message: report.summary) }
        context.console.print(report.summary)
    }

    static func check(_ data: Data) -> (status: Int32, lines: [String], summary: String) {
        switch DocxReader.read(data) {
        case .failure(let failure):
            return (2, failure.problems.map(\.description),
                    "无法按公文读取：\(failure.problems.count) 处 / cannot be read as a document: \(failure.problems.count)")
        case .success(let content):
            let read = DocumentFromText.read(content.paragraphs)
            var lines: [String] = []
            var count = 0
            for f in DocumentChecks.shared.check(read.document) where f.rule != "DOC-SIGNER" {
                count += 1
                lines.append("\(f.rule)：\(f.zh)（\(f.clause)） / \(f.en)")
            }
            for text in read.numbers {
                if case .failure(let problem) = DocumentNumber.parse(text) {
                    count += 1
                    lines.append("DOC-NUMBER-FORM：发文字号“\(text)”\(numberZh(problem))（GB/T 9704-2012 7.2.4） / "
                                 + "the document number \(text): \(problem.rawValue)")
                }
            }
            let summary = count == 0 ? "未发现问题 / clean: \(read.document.title)"
                : "\(count) 处问题 / \(count) findings: \(read.document.title)"
            return (count == 0 ? 0 : 1, lines, summary)
        }
    }

    static func numberZh(_ p: DocumentNumber.Problem) -> String {
        switch p {
        case .brackets: "应使用六角括号〔〕标注年份"
        case .ordinal: "序号前不加“第”字"
        case .leadingZero: "序号不编虚位（不加前导 0）"
        case .noPrefix: "缺少机关代字"
        case .form: "不符合“机关代字〔年份〕序号号”的格式"
        }
    }
}
