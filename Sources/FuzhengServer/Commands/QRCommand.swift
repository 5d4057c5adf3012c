import ConsoleKit
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng qr (--text TEXT | --text-file FILE) --output FILE.svg [--ecc L|M|Q|H] [--min-version N] [--mask K]`:
/// writes Core's QR code of the text's UTF-8 bytes as SVG and prints `version=N ecc=M mask=K`, so CI can read
/// the symbol back with independent tools (.ci/check_qr.py) and rebuild it with another encoder.
struct QRCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "text", help: "the text to encode (its UTF-8 bytes, byte mode)")
        var text: String?

        @Option(name: "text-file", help: "a file whose bytes are encoded as they are (no trailing newline dropped)")
        var textFile: String?

        @Option(name: "output", help: "the SVG file to write")
        var output: String?

        @Option(name: "ecc", help: "error correction level L, M, Q or H (default M)")
        var ecc: String?

        @Option(name: "min-version", help: "smallest version to use, 1-40 (default 1)")
        var minVersion: Int?

        @Option(name: "mask", help: "force data mask 0-7 (default: the lowest penalty)")
        var mask: Int?

        @Option(name: "title", help: "the SVG's title (default: the text)")
        var title: String?
    }

    var help: String {
        "Writes a QR code as SVG: qr (--text TEXT | --text-file FILE) --output FILE.svg [--ecc L|M|Q|H] "
            + "[--min-version N] [--mask K] [--title T]"
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let output = signature.output else {
            throw CommandExit(status: 2, message: "缺少 --output / --output is required")
        }
        let bytes: [UInt8]
        switch (signature.text, signature.textFile) {
        case (let text?, nil):
            bytes = Array(text.utf8)
        case (nil, let path?):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandExit(status: 2, message: "无法读取 \(path) / cannot read \(path)")
            }
            bytes = Array(data)
        default:
            throw CommandExit(status: 2, message: "需要 --text 或 --text-file 之一 / give one of --text or --text-file")
        }
        let levels: [String: QRCode.ErrorCorrection] = ["L": .low, "M": .medium, "Q": .quartile, "H": .high]
        let name = (signature.ecc ?? "M").uppercased()
        guard let level = levels[name] else {
            throw CommandExit(status: 2, message: "--ecc 应为 L、M、Q 或 H / --ecc must be L, M, Q or H")
        }

        let code: QRCode
        do {
            code = try QRCode.encode(bytes, errorCorrection: level, minVersion: signature.minVersion ?? 1,
                                     mask: signature.mask)
        } catch QRCode.Failure.tooLong(let count, let maximum) {
            throw CommandExit(status: 1, message: "内容过长：\(count) 字节，上限 \(maximum) / too long: \(count) bytes, "
                + "at most \(maximum)")
        } catch {
            throw CommandExit(status: 2, message: "参数无效：\(error) / invalid argument: \(error)")
        }
        let title = signature.title ?? String(decoding: bytes, as: UTF8.self)
        try Data((code.svg(title: title) + "\n").utf8).write(to: URL(fileURLWithPath: output))
        context.console.print("version=\(code.version) ecc=\(name) mask=\(code.mask)")
    }
}
