/// Size limits on what people send, stated to them in the forms and in the error they get.
public enum InputLimits {
    /// Any request body (a form, an upload); the server answers 413 with a page saying so.
    public static let requestBodyBytes = 10 * 1024 * 1024
    /// A pasted published disclosure: the Huailai office's is 15 KB, a large department's a few
    /// times that; 512 KB leaves room for any real one and bounds the importer's work.
    public static let pastedDisclosureBytes = 512 * 1024
}
