import Plot

/// Form pieces shared by every page: labelled fields that show their error and keep their input.
enum Form {
    static func csrf(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(CSRFMiddleware.field), .value(token))
    }

    static func field(
        label: String, name: String, value: String = "", error: String? = nil, type: HTMLInputType = .text,
        required: Bool = false, autocomplete: String? = nil, hint: String? = nil, inputMode: String? = nil
    ) -> Node<HTML.FormContext> {
        .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(name), .text(label), .if(required, .span(.class("req"), .text(" *")))),
            .input(
                .id(name), .name(name), .type(type),
                .value(type == .password ? "" : value),
                .attribute(named: "required", value: required ? "required" : nil),
                .attribute(named: "autocomplete", value: autocomplete),
                .attribute(named: "inputmode", value: inputMode),
                .attribute(named: "aria-invalid", value: error == nil ? nil : "true"),
                .attribute(named: "aria-describedby", value: error == nil ? nil : "\(name)-error")
            ),
            .if(hint != nil, .p(.class("hint"), .text(hint ?? ""))),
            .if(error != nil, .p(.class("error"), .id("\(name)-error"), .text(error ?? "")))
        )
    }

    /// A date typed as text: a browser's date picker shows its own locale's order (mm/dd/yyyy on an English
    /// system) whatever the page's language; `DayInput` reads every order people use here.
    static func dateField(label: String, name: String, value: String, hint: String, error: String? = nil)
        -> Node<HTML.FormContext> {
        field(label: label, name: name, value: value, error: error, autocomplete: "off", hint: hint, inputMode: "numeric")
    }

    static func select(
        label: String, name: String, options: [(value: String, label: String)], selected: String,
        error: String? = nil, required: Bool = true
    ) -> Node<HTML.FormContext> {
        .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(name), .text(label), .if(required, .span(.class("req"), .text(" *")))),
            .element(named: "select", nodes: [
                .attribute(named: "id", value: name),
                .attribute(named: "name", value: name),
                .group(options.map { option in
                    .element(named: "option", nodes: [
                        .attribute(named: "value", value: option.value, ignoreIfValueIsEmpty: false),
                        .attribute(named: "selected", value: option.value == selected ? "selected" : nil, ignoreIfValueIsEmpty: true),
                        .text(option.label),
                    ])
                }),
            ]),
            .if(error != nil, .p(.class("error"), .id("\(name)-error"), .text(error ?? "")))
        )
    }

    /// `id` defaults to the name; a page with several forms posting the same field names gives each its own.
    static func textarea(label: String, name: String, value: String, error: String? = nil, rows: Int = 5,
                         id: String? = nil) -> Node<HTML.FormContext> {
        .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(id ?? name), .text(label)),
            // A browser drops one newline right after <textarea>: write one so a value that starts with a
            // newline comes back whole.
            .textarea(.id(id ?? name), .name(name), .rows(rows), .text("\n" + value)),
            .if(error != nil, .p(.class("error"), .text(error ?? "")))
        )
    }

    static func errorSummary(_ message: String?) -> Node<HTML.FormContext> {
        .if(message != nil, .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text(message ?? "")))
    }
}

extension Node where Context: HTML.BodyContext {
    static func alert(_ message: String?, kind: String = "info") -> Node {
        .if(message != nil, .div(.class("alert \(kind)"), .attribute(named: "role", value: kind == "error" ? "alert" : "status"), .text(message ?? "")))
    }
}
