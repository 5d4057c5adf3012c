import Fluent
import ConsoleKit
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng documents check PATH.docx`: the 核稿 checks on a Word file, outside the platform — exit 0 when clean,
/// 1 with findings, 2 when the file cannot be read (or holds what a 公文 cannot keep: images, text boxes, tracked
/// changes, comments). Every 发文字号 written in it is checked for the standard's form too.
/// `fuzheng documents export UNIT 文号 --format docx|pdf|ofd --output PATH`: an issued document's file, as the
/// platform lays it out (with its seal when sealed and the key is set); each sealed export is audited.
struct DocumentsCommand: AnyAsyncCommand {
    static let usage = "用法 / usage: fuzheng documents check PATH.docx | "
        + "fuzheng documents export UNIT 文号 --format docx|pdf|ofd|json --output PATH"

    var help: String { "公文: check PATH.docx (the 核稿 rules) | export UNIT 文号 --format docx|pdf|ofd|json --output PATH" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: ["format", "output"])
        context.input.arguments = []
        switch args.positionals.first {
        case "check" where args.positionals.count == 2:
            let path = args.positionals[1]
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandExit(status: 2, message: "无法读取 \(path) / cannot read the file")
            }
            let report = Self.check(data)
            for line in report.lines { context.console.print(line) }
            if report.status != 0 { throw CommandExit(status: report.status, message: report.summary) }
            context.console.print(report.summary)
        case "sample" where args.positionals.count == 1:
            try await sample(context, output: args.options["output"] ?? ".")
        case "export" where args.positionals.count == 3:
            try await export(context, unit: args.positionals[1], number: args.positionals[2], args: args)
        default:
            throw CommandExit(status: 2, message: Self.usage)
        }
    }

    /// The fixed sample documents (a five-page 通知 with the demo seal, a 函, a 纪要) in the three formats, for the
    /// layout's checks in .ci/run: `documents sample --output FOLDER`.
    func sample(_ context: CommandContext, output: String) async throws {
        let folder = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let seal = Data(SealImage.demoImage)
        for (name, input) in SampleDocuments.inputs() {
            let layout = DocumentLayout(input)
            let title = input.document.title
            let sealData = input.sealed ? seal : nil
            let html = LayoutHTML.page(layout, title: title,
                                       sealDataURI: sealData.map { "data:image/png;base64," + $0.base64EncodedString() })
            let pdf: Data
            do {
                pdf = try await PDFPrinter.pdf(fromHTML: html)
            } catch let error as PDFPrinter.Unavailable {
                throw CommandExit(status: 2, message: error.description)
            }
            let files: [(String, Data)] = [
                ("pdf", PDFProperties.finish(pdf, title: title, number: input.number ?? "")),
                ("ofd", try OFDWriter.ofd(layout, title: title, author: input.issuerNames.joined(separator: "、"),
                                          date: "2023-03-06", seal: sealData)),
                ("docx", try LayoutDocx.docx(layout, title: title, seal: sealData)),
                ("json", Data(LayoutJSON.encode(layout).utf8)),
            ]
            for (ext, data) in files {
                try data.write(to: folder.appendingPathComponent("sample-\(name).\(ext)"))
            }
            context.console.print("sample-\(name)：\(layout.pages.count) 页 / pages")
        }
    }

    func export(_ context: CommandContext, unit: String, number: String, args: CommandArguments) async throws {
        let asked = args.options["format"] ?? ""
        guard let output = args.options["output"], IssuedFiles.Format(rawValue: asked) != nil || asked == "json" else {
            throw CommandExit(status: 2, message: Self.usage)
        }
        let app = context.application
        try await app.autoMigrate()
        guard let unitModel = try await OrganisationQueries.unit(code: unit, on: app.db),
              let model = try await DocumentModel.query(on: app.db).filter(\.$unit.$id == unitModel.requireID())
                .filter(\.$numberText == number).with(\.$unit).first() else {
            throw CommandExit(status: 2,
                message: "单位 \(unit) 没有文号为 \(number) 的公文 / no document \(number) of unit \(unit)")
        }
        guard model.step == DocumentStep.issued.rawValue else {
            throw CommandExit(status: 2, message: "\(number) 尚未核发 / \(number) is not issued yet")
        }
        guard let format = IssuedFiles.Format(rawValue: asked) else {
            // The computed layout itself, for checks that compare a file with it.
            let (layout, _, _) = try await IssuedFiles.laidOut(model, copy: nil, app: app, on: app.db)
            try Data(LayoutJSON.encode(layout).utf8).write(to: URL(fileURLWithPath: output))
            context.console.print("\(output)：\(layout.pages.count) 页 / pages")
            return
        }
        let made: IssuedFiles.Made
        do {
            made = try await IssuedFiles.make(format, model, copy: nil, app: app, on: app.db)
        } catch let error as PDFPrinter.Unavailable {
            throw CommandExit(status: 2, message: error.description)
        }
        do {
            try made.data.write(to: URL(fileURLWithPath: output))
        } catch {
            throw CommandExit(status: 2, message: "无法写入 \(output) / cannot write the file: \(error)")
        }
        if made.sealed {
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { _, audit in
                audit.add(AuditEvent(.sealUse, objectType: "document", objectID: try model.requireID().uuidString,
                                     summary: "export \(format.rawValue) \(number) → \(output) (seal sm3 \(model.sealedWith ?? ""))"))
            }
        }
        context.console.print("\(output)：\(made.data.count) 字节 / bytes\(made.sealed ? "，已用印 / sealed" : "")")
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
