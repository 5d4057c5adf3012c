/// Minimal parsing for commands whose forms ConsoleKit signatures cannot express
/// (e.g. `check PATH | UNIT YEAR`): positionals, `--flag` and `--option value`.
struct CommandArguments {
    var positionals: [String] = []
    var flags: Set<String> = []
    var options: [String: String] = [:]

    init(_ arguments: [String], valueOptions: Set<String>) throws {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a.hasPrefix("--") {
                let name = String(a.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    options[String(name[..<eq])] = String(name[name.index(after: eq)...])
                } else if valueOptions.contains(name) {
                    guard i + 1 < arguments.count else {
                        throw CommandExit(status: 2, message: "选项 --\(name) 缺少取值 / option --\(name) needs a value")
                    }
                    options[name] = arguments[i + 1]
                    i += 1
                } else {
                    flags.insert(name)
                }
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }
}
