import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed document. `text` is the character data directly inside the element (CDATA
/// included), not that of its children. Names keep their namespace prefix ("w:t"), as packages are read by
/// prefix.
public struct SafeXMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [SafeXMLElement]
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [SafeXMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    public func child(_ name: String) -> SafeXMLElement? { children.first { $0.name == name } }

    public func children(named name: String) -> [SafeXMLElement] { children.filter { $0.name == name } }
}

public enum XMLSafetyError: Error, Equatable, Sendable, CustomStringConvertible {
    case notUTF8
    case declaredEncoding(String)
    case doctype
    case entityDeclaration
    case emptyProcessingInstruction
    case tooDeep(limit: Int)
    case malformed(line: Int, column: Int)

    public var messageZh: String {
        switch self {
        case .notUTF8: "XML 不是有效的 UTF-8 文本"
        case .declaredEncoding(let name): "XML 声明的编码“\(name)”不受支持（只接受 UTF-8）"
        case .doctype: "XML 含有文档类型声明（<!DOCTYPE），为防止外部实体注入已拒绝"
        case .entityDeclaration: "XML 含有实体声明（<!ENTITY），为防止实体注入和实体膨胀已拒绝"
        case .emptyProcessingInstruction: "XML 含有没有内容的处理指令（<?…?>），已拒绝"
        case .tooDeep(let limit): "XML 元素嵌套过深（上限 \(limit) 层）"
        case .malformed(let line, let column): "XML 格式错误（第 \(line) 行第 \(column) 列）"
        }
    }

    public var messageEn: String {
        switch self {
        case .notUTF8: "the XML is not valid UTF-8 text"
        case .declaredEncoding(let name): "the XML declares the encoding “\(name)”; only UTF-8 is accepted"
        case .doctype: "the XML has a document type declaration (<!DOCTYPE), refused to prevent external entities"
        case .entityDeclaration:
            "the XML declares entities (<!ENTITY), refused to prevent entity injection and expansion"
        case .emptyProcessingInstruction: "the XML holds a processing instruction with no data (<?…?>), refused"
        case .tooDeep(let limit): "the XML nests elements too deeply (at most \(limit) levels)"
        case .malformed(let line, let column): "the XML is malformed (line \(line), column \(column))"
        }
    }

    public var description: String { "\(messageZh) / \(messageEn)" }
}

/// Parses XML read from uploaded packages with no DTD at all: no external entities (XXE), no entity expansion
/// (billion laughs). The document must be UTF-8, because the refusal below is a byte search and a UTF-16 or
/// UTF-7 document would spell "<!DOCTYPE" in other bytes.
public enum SafeXML {
    public static let maxDepth = 256

    public static func parse(_ data: Data) throws(XMLSafetyError) -> SafeXMLElement {
        let bytes = [UInt8](data)
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8 }
        if let encoding = declaredEncoding(bytes), !["utf-8", "utf8"].contains(encoding.lowercased()) {
            throw .declaredEncoding(encoding)
        }
        if contains(bytes, "<!DOCTYPE") { throw .doctype }
        if contains(bytes, "<!ENTITY") { throw .entityDeclaration }
        if hasEmptyProcessingInstruction(bytes) { throw .emptyProcessingInstruction }

        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        // FoundationXML on Linux always asks libxml2 to substitute entities (XML_PARSE_NOENT); this policy is what
        // keeps it from loading one, should any ever get past the refusals above.
        parser.externalEntityResolvingPolicy = .never
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let error = builder.error { throw error }
        guard parsed, let root = builder.root else {
            throw .malformed(line: parser.lineNumber, column: parser.columnNumber)
        }
        return root
    }

    /// Case-insensitive: a parser that accepted "<!doctype" would otherwise slip past.
    static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.uppercased().utf8)
        guard bytes.count >= pattern.count else { return false }
        outer: for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            for k in 1..<pattern.count {
                var byte = bytes[start + k]
                if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
                if byte != pattern[k] { continue outer }
            }
            return true
        }
        return false
    }

    /// FoundationXML on Linux reads the NULL that libxml2 passes as the data of "<?target?>" as a C string
    /// (`_NSXMLParserProcessingInstruction` in swift-corelibs-foundation): a segmentation fault from a ten-byte
    /// upload, found by `fuzheng fuzz`. Any "<?" whose target is followed by nothing but blanks is refused; one
    /// inside a comment is refused too, which costs no real document anything.
    static func hasEmptyProcessingInstruction(_ bytes: [UInt8]) -> Bool {
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var i = 0
        while i + 1 < bytes.count {
            defer { i += 1 }
            guard bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "?") else { continue }
            var j = i + 2
            while j < bytes.count, !isBlank(bytes[j]), bytes[j] != UInt8(ascii: "?") { j += 1 }
            while j < bytes.count, isBlank(bytes[j]) { j += 1 }
            if j + 1 < bytes.count, bytes[j] == UInt8(ascii: "?"), bytes[j + 1] == UInt8(ascii: ">") { return true }
        }
        return false
    }

    /// The `encoding` of a leading `<?xml … ?>` declaration (after an optional byte-order mark), if any.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var text = String(decoding: bytes.prefix(200), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard text.hasPrefix("<?xml"), let end = text.range(of: "?>") else { return nil }
        let declaration = text[..<end.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return String(rest) }
        return String(rest.dropFirst().prefix { $0 != quote })
    }
}

/// Builds the tree with an explicit stack, so depth is bounded by `maxDepth` rather than by the call stack.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [SafeXMLElement] = []
    var root: SafeXMLElement?
    var error: XMLSafetyError?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard stack.count < SafeXML.maxDepth else {
            error = .tooDeep(limit: SafeXML.maxDepth)
            parser.abortParsing()
            return
        }
        stack.append(SafeXMLElement(name: elementName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        // Never reached without a DTD; answering nothing keeps it so if it ever is.
        nil
    }
}
