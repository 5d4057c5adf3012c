import Foundation

/// The terms of the application-side search index: neither SQLite's nor PostgreSQL's built-in full-text search
/// finds two-character Chinese words (预算, 会议), so a text is indexed as the bigrams of its runs of Chinese
/// characters, plus its Latin words and numbers whole. A query is cut the same way; a text matches when it holds
/// every term of the query (and then, to be exact, the query itself).
public enum SearchTerms {
    static func isHan(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
    }

    public static func terms(_ text: String) -> Set<String> {
        var out = Set<String>()
        var han: [Character] = []
        var word = ""
        func flushHan() {
            if han.count == 1 { out.insert(String(han)) }
            if han.count >= 2 { for i in 0..<(han.count - 1) { out.insert(String(han[i...i + 1])) } }
            han.removeAll()
        }
        func flushWord() {
            if !word.isEmpty { out.insert(word.lowercased()) }
            word = ""
        }
        for c in text {
            if isHan(c) {
                flushWord()
                han.append(c)
            } else if c.isASCII && (c.isLetter || c.isNumber) {
                flushHan()
                word.append(c)
            } else {
                flushHan()
                flushWord()
            }
        }
        flushHan()
        flushWord()
        return out
    }

    /// The terms stored for a text: its bigrams and words, without single Chinese characters (an index of every
    /// character of every document is not worth its size; a one-character query is answered by a title match).
    public static func indexTerms(_ text: String) -> Set<String> {
        terms(text).filter { !($0.count == 1 && isHan($0.first!)) }
    }

    /// The terms a query needs, or nil when it has none the index holds (a single character, only punctuation).
    public static func queryTerms(_ query: String) -> Set<String>? {
        let t = indexTerms(query)
        return t.isEmpty ? nil : t
    }
}
