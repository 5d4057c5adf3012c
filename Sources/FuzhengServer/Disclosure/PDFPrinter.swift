import Foundation

/// Prints a disclosure's HTML to PDF with headless Chromium (Debian's `chromium`, which .ci/run
/// installs). The path can be set with FUZHENG_CHROMIUM.
enum PDFPrinter {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static func chromiumPath(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let candidates = [env["FUZHENG_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func pdf(fromHTML html: String) throws -> Data {
        guard let chromium = chromiumPath() else {
            throw Unavailable(description: "未找到 Chromium，无法生成PDF（apt-get install chromium fonts-noto-cjk，或设置 FUZHENG_CHROMIUM）/ Chromium not found: PDF needs it")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fz-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("disclosure.html")
        let output = dir.appendingPathComponent("disclosure.pdf")
        try Data(html.utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(dir.path)/profile",
                             "--print-to-pdf=\(output.path)", input.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: output), data.starts(with: Array("%PDF".utf8)) else {
            throw Unavailable(description: "Chromium 未能生成PDF（退出码 \(process.terminationStatus)）/ Chromium did not produce a PDF")
        }
        return data
    }
}
