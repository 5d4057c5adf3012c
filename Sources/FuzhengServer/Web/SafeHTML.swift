import FuzhengCore
import Plot

// Plot 0.14 writes attribute values raw and its text escaper keeps anything that looks like an entity
// ("&lt;" typed by a user comes back as "<"). This file is the one place where site pages turn strings
// into markup: it redeclares every Plot function that takes a string for an attribute or for text, with
// the same signature, so calls anywhere in this module resolve here (a module's own declarations shadow
// those of a module it imports) and every value goes through Core's `Markup.escape`.
// `SafeHTMLTests` fails if any other file builds an `Attribute` or raw markup itself, and renders every
// function below with a hostile value.

extension Attribute {
    /// The only way this module makes an attribute: its value escaped.
    static func escaped(_ name: String, _ value: String?, replaceExisting: Bool = true,
                        ignoreIfValueIsEmpty: Bool = true) -> Attribute {
        Attribute(name: name, value: value.map(Markup.escape), replaceExisting: replaceExisting,
                  ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)
    }

    static func attribute(named name: String, value: String?) -> Attribute { .escaped(name, value) }
}

extension Node {
    static func text(_ text: String) -> Node { .raw(Markup.escape(text)) }

    static func element(named name: String, text: String) -> Node {
        .element(named: name, nodes: [.text(text)])
    }

    static func attribute(named name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node {
        .attribute(Attribute.escaped(name, value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty))
    }

    /// Markup written by one of Core's writers that escape every value with `Markup.escape` themselves
    /// (the disclosure document, SVG charts). `SafeHTMLTests` keeps the list of places that may call it.
    static func trustedMarkup(escapedBy writer: StaticString, _ html: String) -> Node { .raw(html) }

    /// A part of a page rendered earlier through these same escaping functions, sent again as it was.
    static func fragment(_ fragment: RenderedFragment) -> Node { .raw(fragment.html) }
}

/// Markup that can only come from rendering a node built with the functions of this file, so it is escaped; kept to
/// be sent again without building it again (the budget page's sections, once per budget version).
struct RenderedFragment: Sendable {
    let html: String

    init(_ node: Node<HTML.BodyContext>) { html = node.render() }
}

extension Attribute where Context: HTMLContext {
    static func id(_ id: String) -> Attribute { .escaped("id", id) }
    static func `class`(_ className: String) -> Attribute { .escaped("class", className) }
    static func data(named name: String, value: String) -> Attribute { .escaped("data-\(name)", value) }
    static func title(_ title: String) -> Attribute { .escaped("title", title) }
}

extension Node where Context: HTMLContext {
    static func id(_ id: String) -> Node { .attribute(named: "id", value: id) }
    static func `class`(_ className: String) -> Node { .attribute(named: "class", value: className) }
    static func data(named name: String, value: String) -> Node { .attribute(named: "data-\(name)", value: value) }
    static func title(_ title: String) -> Node { .attribute(named: "title", value: title) }
}

extension Attribute where Context: HTMLNamableContext {
    static func name(_ name: String) -> Attribute { .escaped("name", name) }
}

extension Node where Context: HTMLNamableContext {
    static func name(_ name: String) -> Node { .attribute(named: "name", value: name) }
}

extension Attribute where Context: HTMLTypeContext {
    static func type(_ type: String) -> Attribute { .escaped("type", type) }
}

extension Attribute where Context: HTMLValueContext {
    static func value(_ value: String) -> Attribute { .escaped("value", value) }
}

extension Node where Context: HTMLValueContext {
    static func value(_ value: String) -> Node { .attribute(named: "value", value: value) }
}

extension Attribute where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Attribute { .escaped("href", "\(url)") }
}

extension Node where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Node { .attribute(named: "href", value: "\(url)") }
}

extension Attribute where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Attribute { .escaped("src", "\(url)") }
}

extension Node where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Node { .attribute(named: "src", value: "\(url)") }
}

extension Node where Context == HTML.FormContext {
    static func action(_ url: URLRepresentable) -> Node { .attribute(named: "action", value: "\(url)") }
}

extension Node where Context == HTML.LabelContext {
    static func `for`(_ target: String) -> Node { .attribute(named: "for", value: target) }
}

extension Attribute where Context == HTML.InputContext {
    static func placeholder(_ placeholder: String) -> Attribute { .escaped("placeholder", placeholder) }
}

extension Node where Context == HTML.TextAreaContext {
    static func placeholder(_ placeholder: String) -> Node { .attribute(named: "placeholder", value: placeholder) }
}

extension Attribute where Context == HTML.OptionContext {
    static func label(_ label: String) -> Attribute { .escaped("label", label) }
}

extension Node where Context: HTMLStylableContext {
    static func style(_ css: String) -> Node { .attribute(named: "style", value: css) }
}

extension Attribute where Context == HTML.MetaContext {
    static func content(_ content: String) -> Attribute { .escaped("content", content) }
    static func property(_ property: String) -> Attribute { .escaped("property", property) }
}

extension Attribute where Context == HTML.ImageContext {
    static func alt(_ text: String) -> Attribute { .escaped("alt", text) }
}

extension Node where Context: HTML.BodyContext {
    static func ariaLabel(_ label: String) -> Node { .attribute(named: "aria-label", value: label) }
    static func ariaControls(_ child: String) -> Node { .attribute(named: "aria-controls", value: child) }
}

extension Node where Context == HTML.TimeContext {
    static func datetime(_ datetime: String) -> Node { .attribute(named: "datetime", value: datetime) }
}

/// Every function above, each given the same value: `SafeHTMLTests` renders this with a hostile one.
/// (It lives here because only this module sees the shadowing declarations without ambiguity.)
enum SafeHTMLProbe {
    static func render(_ v: String) -> String {
        let head: Node<HTML.DocumentContext> = .head(.meta(.content(v), .property(v)), .element(named: "title", text: v))
        let links: Node<HTML.BodyContext> = .group(.a(.href(v), .text(v)), .img(.src(v), .alt(v)))
        let shared: Node<HTML.BodyContext> = .div(.id(v), .class(v), .data(named: "x", value: v), .title(v))
        let aria: Node<HTML.BodyContext> = .div(.ariaLabel(v), .ariaControls(v), .style(v),
                                                .attribute(named: "data-y", value: v))
        let inputs: Node<HTML.FormContext> = .input(.name(v), .value(v), .placeholder(v), .type(.text))
        let label: Node<HTML.FormContext> = .label(.for(v), .text(v))
        let area: Node<HTML.FormContext> = .textarea(.name(v), .placeholder(v), .text(v))
        let select: Node<HTML.FormContext> = .element(named: "select", nodes: [
            .element(named: "option", attributes: [Attribute<HTML.OptionContext>.value(v), .label(v)]),
        ])
        let form: Node<HTML.BodyContext> = .form(.action(v), inputs, label, area, select)
        let time: Node<HTML.BodyContext> = .element(named: "time", nodes: [.attribute(named: "datetime", value: v)])
        return HTML(head, .body(links, shared, aria, form, time)).render()
    }
}
