import Foundation

/// The base protocol of the Language Server Protocol: messages framed by a
/// `Content-Length: N` header and a blank line, then N bytes of UTF-8 JSON.
/// Reads from one file descriptor and writes to another; blocking, one message at a time.
final class MessageTransport {
    /// One framed message as read: its JSON text, or why no JSON text could be framed.
    enum Incoming {
        case message(String)
        /// A header without a usable `Content-Length`; the bytes up to the blank line are dropped.
        case badHeader(String)
        /// The client closed the connection; `problem` if it did so in the middle of a message.
        case endOfInput(problem: String?)
    }

    private let input: Int32
    private let output: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// Refuse bodies larger than this rather than allocate without bound.
    static let maxBody = 64 << 20

    init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = output
    }

    func read() -> Incoming {
        // Header lines up to the blank line.
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = find([13, 10, 13, 10])
            if headerEnd == nil, !fill() {
                let partial = start < buffer.count && !buffer[start...].allSatisfy({ $0 == 10 || $0 == 13 || $0 == 32 })
                return .endOfInput(problem: partial ? "input ended inside a message header" : nil)
            }
        }
        let header = String(decoding: buffer[start..<headerEnd!], as: UTF8.self)
        start = headerEnd! + 4
        var length: Int?
        for line in header.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        guard let length, length >= 0, length <= Self.maxBody else {
            return .badHeader("expected a header `Content-Length: N`, found `\(header.prefix(200))`")
        }
        while buffer.count - start < length {
            if !fill() { return .endOfInput(problem: "input ended after \(buffer.count - start) of \(length) bytes of a message") }
        }
        let body = String(decoding: buffer[start..<(start + length)], as: UTF8.self)
        start += length
        compact()
        return .message(body)
    }

    func write(_ json: String) {
        let body = Array(json.utf8)
        var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        bytes += body
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(output, $0.baseAddress, $0.count) }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                return // The client is gone; the next read ends the session.
            }
            written += n
        }
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count - start >= pattern.count else { return nil }
        var i = start
        while i + pattern.count <= buffer.count {
            if buffer[i] == pattern[0], buffer[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    /// Reads more input; false at the end.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(input, $0.baseAddress, $0.count) }
            if n > 0 { buffer += chunk[0..<n]; return true }
            if n < 0, errno == EINTR { continue }
            return false
        }
    }

    private func compact() {
        if start > 0, start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        else if start > 1 << 20 { buffer.removeFirst(start); start = 0 }
    }
}
