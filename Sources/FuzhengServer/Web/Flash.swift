import Vapor

/// A one-time message carried across a redirect (e.g. "saved").
extension Request {
    func setFlash(_ key: String, error: Bool = false) {
        session.data["flash"] = key
        session.data["flashKind"] = error ? "error" : nil
    }

    func takeFlash() -> String? {
        takeFlashWithKind()?.text
    }

    /// The message and whether it reports a refusal (shown as an error, not a success).
    func takeFlashWithKind() -> (text: String, isError: Bool)? {
        guard hasSession, let key = session.data["flash"] else { return nil }
        let isError = session.data["flashKind"] == "error"
        session.data["flash"] = nil
        session.data["flashKind"] = nil
        return (l10n(key), isError)
    }
}
