import FuzhengCore
import Testing

@Suite("Redirect targets")
struct RedirectPolicyTests {
    @Test("paths on this site pass unchanged", arguments: [
        "/", "/home", "/units/434001/budgets/2023?unit=wan#findings", "/disclosures?q=%E6%80%80%E6%9D%A5",
        "/disclosures?q=a%20b",
    ])
    func sameSite(_ path: String) {
        #expect(RedirectPolicy.sameOriginPath(path) == path)
    }

    @Test("anything that a browser could follow off the site is refused", arguments: [
        "//evil.example", "https://evil.example", "evil.example", "", " /home",
        "/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/%0a/evil.example", "/%0D%0A/evil.example",
        "/\\evil.example", "/%5Cevil.example", "/%5cevil.example", "\\\\evil.example", "/%2F/evil.example",
        "/%2f%2fevil.example", "/%252F%252Fevil.example", "/%25252F%25252Fevil.example", "/\u{7F}/evil.example",
        "/%", "javascript:alert(1)", "/\u{0}/x",
    ])
    func offSite(_ target: String) {
        #expect(RedirectPolicy.sameOriginPath(target) == nil)
    }

    @Test("nil and absurdly long targets are refused")
    func missing() {
        #expect(RedirectPolicy.sameOriginPath(nil) == nil)
        #expect(RedirectPolicy.sameOriginPath("/" + String(repeating: "a", count: 5000)) == nil)
    }
}
