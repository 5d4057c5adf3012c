import Vapor

/// A one-time message carried across a redirect (e.g. "saved").
extension Request {
    func setFlash(_ key: String) {
        session.data["flash"] = key
    }

    func takeFlash() -> String? {
        guard hasSession, let key = session.data["flash"] else { return nil }
        session.data["flash"] = nil
        return l10n(key)
    }
}
