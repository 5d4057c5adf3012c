import Foundation
import Vapor

public enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    public var htmlCode: String { self == .zh ? "zh-CN" : "en" }
    public var other: Language { self == .zh ? .en : .zh }
}

/// Every user-visible string comes from one table per language (Resources/Localization/*.json).
public struct Localizer: Sendable {
    public let tables: [Language: [String: String]]
    /// English for the Chinese terms that come as data: revenue sources, indicator levels, unit attributes
    /// (Localization/terms.json). Data is stored in Chinese; only its display changes with the language.
    public var terms: [String: String] = [:]

    public static let shared: Localizer = {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Localization")
                    ?? Bundle.module.url(forResource: language.rawValue, withExtension: "json"),
                  let data = try? Data(contentsOf: url),
                  let table = try? JSONDecoder().decode([String: String].self, from: data)
            else {
                preconditionFailure("Localization table \(language.rawValue).json is missing or malformed")
            }
            tables[language] = table
        }
        guard let url = Bundle.module.url(forResource: "terms", withExtension: "json", subdirectory: "Localization")
                ?? Bundle.module.url(forResource: "terms", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let terms = try? JSONDecoder().decode([String: String].self, from: data)
        else {
            preconditionFailure("Localization terms.json is missing or malformed")
        }
        return Localizer(tables: tables, terms: terms)
    }()

    /// Looks a key up; `{0}`, `{1}` … are replaced by the arguments. A missing key shows itself,
    /// so a gap is visible in review rather than silently blank (a test keeps the tables complete).
    public func text(_ key: String, _ language: Language, _ args: [String] = []) -> String {
        var value = tables[language]?[key] ?? tables[.zh]?[key] ?? key
        for (index, arg) in args.enumerated() {
            value = value.replacingOccurrences(of: "{\(index)}", with: arg)
        }
        return value
    }
}

/// What a page needs to speak the visitor's language.
public struct L10n: Sendable {
    public let language: Language
    let localizer: Localizer

    public init(_ language: Language, localizer: Localizer = .shared) {
        self.language = language
        self.localizer = localizer
    }

    public func callAsFunction(_ key: String, _ args: String...) -> String {
        localizer.text(key, language, args)
    }

    /// A Chinese term that comes as data, in the reader's language when the term table knows it.
    public func term(_ zh: String) -> String {
        language == .zh ? zh : localizer.terms[zh.trimmingCharacters(in: .whitespaces)] ?? zh
    }

    /// For a key and arguments that come as data (a problem reported by Core).
    public func text(_ key: String, _ args: [String]) -> String {
        localizer.text(key, language, args)
    }
}

extension Request {
    static let languageCookie = "fz_lang"

    public var language: Language {
        if let cookie = cookies[Self.languageCookie]?.string, let lang = Language(rawValue: cookie) { return lang }
        return application.fuzheng.config.defaultLanguage
    }

    public var l10n: L10n { L10n(language) }
}
