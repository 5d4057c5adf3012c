/// Hand-written scanning for the few shapes the importer reads (a label, an amount, 万元).
/// Swift `Regex` made importing the seed take 14 ms; these scans keep it well under a millisecond.
enum TextScan {
    static func isDigit(_ c: Character) -> Bool {
        ("0"..."9").contains(c) || ("０"..."９").contains(c)
    }

    static func isAmountCharacter(_ c: Character) -> Bool {
        isDigit(c) || c == "." || c == "．" || c == ","
    }

    static func skipSpaces(_ s: Substring) -> Substring {
        s.drop { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
    }

    /// A number right at the start of `s` followed by 万元; returns the number and what follows 万元.
    static func amountWan(at s: Substring) -> (value: Substring, rest: Substring)? {
        let start = skipSpaces(s)
        let number = start.prefix(while: isAmountCharacter)
        guard !number.isEmpty, number.contains(where: isDigit) else { return nil }
        let after = skipSpaces(start[number.endIndex...])
        guard after.hasPrefix("万元") else { return nil }
        return (number, after.dropFirst(2))
    }

    /// The first place where `label` is directly followed by an amount in 万元.
    static func amount(after label: String, in text: Substring) -> (value: Substring, range: Range<String.Index>)? {
        var rest = text
        while let r = rest.utf8Range(of: label) {
            if let (value, tail) = amountWan(at: rest[r.upperBound...]) {
                return (value, r.lowerBound..<tail.startIndex)
            }
            rest = rest[r.upperBound...]
        }
        return nil
    }

    /// `label` followed by 增加/减少 and an amount in 万元.
    static func change(after label: String, in text: Substring) -> (decrease: Bool, value: Substring)? {
        var rest = text
        while let r = rest.utf8Range(of: label) {
            let tail = skipSpaces(rest[r.upperBound...])
            for (word, decrease) in [("增加", false), ("减少", true), ("下降", true), ("增长", false)] where tail.hasPrefix(word) {
                if let (value, _) = amountWan(at: tail.dropFirst(word.count)) { return (decrease, value) }
            }
            rest = rest[r.upperBound...]
        }
        return nil
    }

    /// Leading ASCII digits and what follows them.
    static func leadingDigits(_ s: Substring) -> (digits: Substring, rest: Substring) {
        let digits = s.prefix { ("0"..."9").contains($0) }
        return (digits, s[digits.endIndex...])
    }

    /// "12." / "3、" / "4．" numbering at the start of a line: returns the text after it.
    static func afterNumbering(_ s: Substring) -> Substring? {
        let (digits, rest) = leadingDigits(s)
        guard !digits.isEmpty else { return nil }
        let marker = skipSpaces(rest)
        guard let first = marker.first, "、.．".contains(first) else { return nil }
        return skipSpaces(marker.dropFirst())
    }

    /// "2023年…": the four-digit year just before `marker`, and the text before that year.
    static func year(before marker: String, in text: String) -> (year: Int, prefix: Substring)? {
        guard let r = text.utf8Range(of: marker) else { return nil }
        let head = text[..<r.lowerBound]
        guard head.count >= 4 else { return nil }
        let digits = head.suffix(4)
        guard digits.allSatisfy({ ("0"..."9").contains($0) }), let year = Int(digits) else { return nil }
        return (year, head.dropLast(4))
    }

    static func allASCIIDigits(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { ("0"..."9").contains($0) } }
}

extension StringProtocol {
    /// Byte-level substring search. UTF-8 is self-synchronising, so a match of a valid needle
    /// starts and ends on scalar boundaries; on Linux this avoids bridging through NSString.
    func utf8Range(of needle: String) -> Range<Index>? {
        let n = Array(needle.utf8)
        guard let first = n.first else { return startIndex..<startIndex }
        let hay = utf8
        var i = hay.startIndex
        while i != hay.endIndex {
            if hay[i] == first {
                var j = i
                var k = 0
                while k < n.count, j != hay.endIndex, hay[j] == n[k] {
                    hay.formIndex(after: &j)
                    k += 1
                }
                if k == n.count { return i..<j }
            }
            hay.formIndex(after: &i)
        }
        return nil
    }

    func has(_ needle: String) -> Bool { utf8Range(of: needle) != nil }
}
