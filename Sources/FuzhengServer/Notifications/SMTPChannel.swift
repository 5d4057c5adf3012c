import Foundation
import NIOCore
import NIOPosix

/// A message for people outside the platform's own inbox: e-mail now; SMS or 政务钉钉 through the same interface.
public struct OutboundMessage: Sendable, Equatable {
    public var recipient: String
    public var subject: String
    public var body: String

    public init(recipient: String, subject: String, body: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
    }
}

/// One way out. An adapter for SMS or 政务钉钉 implements this and is chosen in `Outbound.channel(_:)`; the outbox
/// and its job stay the same (docs/OPERATIONS.md, "Outbound notices").
public protocol OutboundChannel: Sendable {
    /// The kind of address it takes ("email", "sms", …), as stored on each outbox row.
    var kind: String { get }
    func send(_ message: OutboundMessage) async throws
}

/// Plain SMTP (RFC 5321) on SwiftNIO to a relay inside the government network: no Swift SMTP package is available
/// here, and the relay (not the platform) holds any credentials and TLS to the outside. One connection per message.
public struct SMTPChannel: OutboundChannel {
    public var host: String
    public var port: Int
    public var from: String
    /// The name this side gives in EHLO.
    public var heloName: String
    public var timeout: TimeAmount

    public var kind: String { "email" }

    public init(host: String, port: Int = 25, from: String, heloName: String = "fuzheng.local",
                timeout: TimeAmount = .seconds(20)) {
        self.host = host
        self.port = port
        self.from = from
        self.heloName = heloName
        self.timeout = timeout
    }

    public struct Failure: Error, CustomStringConvertible {
        public var stage: String
        public var reply: String
        public var description: String { "SMTP \(stage): \(reply)" }
    }

    public func send(_ message: OutboundMessage) async throws {
        guard Self.isAddress(message.recipient), Self.isAddress(from) else {
            throw Failure(stage: "address", reply: "not a plain address: \(message.recipient)")
        }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let data = Self.render(message, from: from, date: Date())
        let helo = heloName
        let sender = from
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var replies = ReplyReader(inbound.makeAsyncIterator())
                    try await replies.expect(220, "greeting")
                    func command(_ line: String, _ code: Int, _ stage: String) async throws {
                        try await outbound.write(ByteBuffer(string: line + "\r\n"))
                        try await replies.expect(code, stage)
                    }
                    try await command("EHLO \(helo)", 250, "EHLO")
                    try await command("MAIL FROM:<\(sender)>", 250, "MAIL FROM")
                    try await command("RCPT TO:<\(message.recipient)>", 250, "RCPT TO")
                    try await command("DATA", 354, "DATA")
                    try await outbound.write(ByteBuffer(string: data + "\r\n.\r\n"))
                    try await replies.expect(250, "message")
                    try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
                }
            }
            let limit = timeout
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(limit.nanoseconds) * 3)
                throw Failure(stage: "timeout", reply: "no answer from \(host):\(port)")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// An address with nothing that could open a new SMTP command or header.
    static func isAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return s.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && s.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>()[],;:\\\"".unicodeScalars
                .contains($0) }
    }

    /// The message as sent after DATA: UTF-8 headers as RFC 2047 words, the body in base64 (no line of it can be a
    /// lone "."), CRLF line ends.
    static func render(_ m: OutboundMessage, from: String, date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = "=?UTF-8?B?" + Data(m.subject.prefix(200).utf8).base64EncodedString() + "?="
        let body = Data(m.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn,
                                                                     .endLineWithLineFeed])
        return [
            "From: =?UTF-8?B?" + Data("辅政".utf8).base64EncodedString() + "?= <\(from)>",
            "To: <\(m.recipient)>",
            "Subject: \(subject)",
            "Date: \(f.string(from: date))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(from.split(separator: "@").last ?? "fuzheng")>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            body,
        ].joined(separator: "\r\n")
    }
}

/// Reads SMTP replies: lines "250-…" continue, "250 …" ends one.
struct ReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending = ""

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func line() async throws -> String {
        while true {
            if let r = pending.range(of: "\r\n") {
                let line = String(pending[..<r.lowerBound])
                pending = String(pending[r.upperBound...])
                return line
            }
            guard var chunk = try await iterator.next() else {
                throw SMTPChannel.Failure(stage: "read", reply: "connection closed")
            }
            pending += chunk.readString(length: chunk.readableBytes) ?? ""
            guard pending.utf8.count < 64 * 1024 else {
                throw SMTPChannel.Failure(stage: "read", reply: "reply too long")
            }
        }
    }

    mutating func expect(_ code: Int, _ stage: String) async throws {
        while true {
            let l = try await line()
            let prefix = String(l.prefix(3))
            guard Int(prefix) == code else { throw SMTPChannel.Failure(stage: stage, reply: String(l.prefix(200))) }
            if l.count < 4 || l[l.index(l.startIndex, offsetBy: 3)] != "-" { return }
        }
    }
}
