import Foundation

/// Two versions of a 正文 compared line by line (longest common subsequence): what stayed, what was inserted and
/// what was deleted, in reading order.
public enum TextDiff {
    public enum Kind: String, Sendable { case same, inserted, deleted }

    public struct Line: Sendable, Equatable {
        public var kind: Kind
        public var text: String
    }

    public static func lines(_ a: String, _ b: String) -> [Line] {
        let x = a.components(separatedBy: "\n"), y = b.components(separatedBy: "\n")
        // Long texts compare in their own lines' budget: a 正文 has hundreds of lines, not tens of thousands.
        guard x.count * y.count <= 4_000_000 else {
            return x.map { Line(kind: .deleted, text: $0) } + y.map { Line(kind: .inserted, text: $0) }
        }
        var table = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in stride(from: x.count - 1, through: 0, by: -1) {
            for j in stride(from: y.count - 1, through: 0, by: -1) {
                table[i][j] = x[i] == y[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [Line] = []
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                out.append(Line(kind: .same, text: x[i])); i += 1; j += 1
            } else if table[i + 1][j] >= table[i][j + 1] {
                out.append(Line(kind: .deleted, text: x[i])); i += 1
            } else {
                out.append(Line(kind: .inserted, text: y[j])); j += 1
            }
        }
        out += x[i...].map { Line(kind: .deleted, text: $0) } + y[j...].map { Line(kind: .inserted, text: $0) }
        return out
    }

    /// A signature's SVG, drawn from path data that holds only move and line commands (checked by the caller).
    public static func signatureSVG(path: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 100\" width=\"300\" height=\"100\">"
            + "<path d=\"\(Markup.escape(path))\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"2.5\" "
            + "stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>"
    }
}
