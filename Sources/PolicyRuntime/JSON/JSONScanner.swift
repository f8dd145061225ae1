/// A JSON syntax error at a byte offset of the input.
///
/// Messages are lowercase without a final period, e.g. `"unterminated string"` or
/// `"expected ',' or '}' after an object member"`; `lineAndColumn(of:in:)` turns the offset
/// into a position for people.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, lowercase, no final period.
    public let message: String
    /// Byte offset in the input where the problem was found.
    public let offset: Int

    /// An error with `message` (lowercase, no final period) at byte `offset`.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `message (at byte N)`, for logs; people should see `lineAndColumn(of:in:)` instead.
    public var description: String { "\(message) (at byte \(offset))" }
}

/// The content of a JSON string as UTF-8 bytes, without building a `String`.
///
/// Without escapes it points into the scanner's input (valid only while that memory is);
/// with escapes it owns the unescaped bytes. Either way the bytes are valid UTF-8.
public struct JSONStringBytes {
    @usableFromInline
    enum Storage {
        case input(UnsafeBufferPointer<UInt8>)
        case unescaped([UInt8])
    }

    @usableFromInline
    let storage: Storage

    /// Byte offset of the opening quote in the input, for error messages.
    public let offset: Int

    init(storage: Storage, offset: Int) {
        self.storage = storage
        self.offset = offset
    }

    /// Whether the string contained escapes (and so owns a copy of its unescaped bytes).
    public var hadEscapes: Bool {
        if case .unescaped = storage { return true }
        return false
    }

    /// Number of UTF-8 bytes after unescaping.
    public var count: Int {
        switch storage {
        case .input(let bytes): return bytes.count
        case .unescaped(let bytes): return bytes.count
        }
    }

    /// Calls `body` with the unescaped UTF-8 bytes.
    @inlinable
    public func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .input(let bytes):
            return try body(bytes)
        case .unescaped(let bytes):
            // `withUnsafeBufferPointer` only rethrows untyped errors, so carry the typed one out.
            var failure: E?
            let result: R? = bytes.withUnsafeBufferPointer { buffer in
                do throws(E) { return try body(buffer) } catch { failure = error; return nil }
            }
            if let failure { throw failure }
            return result!
        }
    }

    /// The content as a `String` (allocates; meant for messages and free text).
    public var string: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the content equals `literal` byte for byte.
    public func equals(_ literal: StaticString) -> Bool {
        withBytes { bytes in literal.withUTF8Buffer { JSONStringBytes.same(bytes, $0) } }
    }

    /// Whether the content equals `other` byte for byte.
    public func equals(_ other: [UInt8]) -> Bool {
        withBytes { bytes in other.withUnsafeBufferPointer { JSONStringBytes.same(bytes, $0) } }
    }

    /// Whether the content equals `other` (compares UTF-8 bytes, no Unicode normalisation).
    public func equals(_ other: String) -> Bool {
        var other = other
        return withBytes { bytes in other.withUTF8 { JSONStringBytes.same(bytes, $0) } }
    }

    /// Whether the content equals `rhs` byte for byte.
    public static func == (lhs: JSONStringBytes, rhs: StaticString) -> Bool {
        lhs.equals(rhs)
    }

    /// Lets a decoder `switch key { case "id": … }` without building a `String`.
    public static func ~= (pattern: StaticString, value: JSONStringBytes) -> Bool {
        value.equals(pattern)
    }

    private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }
}

/// An object key as returned by `JSONScanner.nextKey()`.
public typealias JSONKey = JSONStringBytes

/// A strict RFC 8259 JSON cursor over raw UTF-8 bytes.
///
/// It reads values in place, so a schema-driven decoder can walk a document without
/// building an intermediate tree: `beginObject()` then `nextKey()` until nil, reading each
/// member's value with `readString()`, `readInt()`, `skipValue()`, … . The scanner does not
/// own its bytes; the caller keeps them alive while the scanner and any `JSONStringBytes`
/// it returned are in use.
///
/// Every reading method skips whitespace before the value. Containers count towards
/// `maxDepth`, so a hostile document gets a syntax error rather than exhausting the stack.
/// A UTF-8 byte order mark is an error unless the scanner is made with `skippingBOM(_:maxDepth:)`.
public struct JSONScanner {
    /// What a value is, judged by its first byte.
    public enum Kind: Sendable {
        case object, array, string, number, bool, null
    }

    /// The input.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// How many containers may be open at once.
    public let maxDepth: Int
    public static let defaultMaxDepth = 512
    /// Byte offset of the next unread byte.
    public var offset: Int
    /// Containers currently open (begun and not yet closed).
    public private(set) var depth = 0

    /// Set by `beginObject`/`beginArray` and cleared by the first `nextKey`/`nextElement`,
    /// so those know whether a ',' must come first. One flag suffices: an inner container is
    /// always closed (clearing it) before its parent continues.
    private var atContainerStart = false

    /// A scanner at the start of `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = JSONScanner.defaultMaxDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.offset = 0
    }

    /// A scanner that starts after a leading UTF-8 byte order mark (EF BB BF) if there is
    /// one. Offsets still count from the start of `bytes`, BOM included.
    public static func skippingBOM(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = JSONScanner.defaultMaxDepth) -> JSONScanner {
        var scanner = JSONScanner(bytes, maxDepth: maxDepth)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            scanner.offset = 3
        }
        return scanner
    }

    /// Whether only whitespace or nothing remains (does not move).
    public var isAtEnd: Bool {
        var probe = offset
        while probe < bytes.count, JSONScanner.isWhitespace(bytes[probe]) { probe += 1 }
        return probe == bytes.count
    }

    // MARK: Low-level cursor

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    @inline(__always)
    public mutating func skipWhitespace() {
        while offset < bytes.count, JSONScanner.isWhitespace(bytes[offset]) { offset += 1 }
    }

    /// The byte at `offset`, or nil at the end. Does not skip whitespace.
    @inline(__always)
    public func peek() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    /// Skips whitespace and consumes `byte`, or fails with "expected \(what)".
    public mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek() == byte else { throw JSONSyntaxError(message: "expected \(what)", offset: offset) }
        offset += 1
    }

    /// Skips whitespace and tells what kind of value starts there, without consuming it.
    public mutating func peekKind() throws(JSONSyntaxError) -> Kind {
        skipWhitespace()
        guard let byte = peek() else { throw endOfInput() }
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw unexpected("a JSON value")
        }
    }

    /// Only whitespace may follow the value just read.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if offset < bytes.count { throw error("trailing characters after the JSON value") }
    }

    // MARK: Containers

    /// Consumes `{`. Follow with `nextKey()` until it returns nil.
    public mutating func beginObject() throws(JSONSyntaxError) {
        try open(UInt8(ascii: "{"), "an object")
    }

    /// The next member's key, having consumed the `,` before it and the `:` after it; nil
    /// once the closing `}` is consumed. After a key, read exactly one value.
    public mutating func nextKey() throws(JSONSyntaxError) -> JSONKey? {
        guard try advanceToMember() else { return nil }
        let key = try scanString(collect: true)
        try consumeColon()
        return key
    }

    /// Consumes `[`. Follow with `nextElement()` until it returns false.
    public mutating func beginArray() throws(JSONSyntaxError) {
        try open(UInt8(ascii: "["), "an array")
    }

    /// True when another element follows (its `,` consumed); false once the closing `]` is
    /// consumed.
    public mutating func nextElement() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard let byte = peek() else { throw endOfInput() }
        if byte == UInt8(ascii: "]") {
            close()
            return false
        }
        if atContainerStart {
            atContainerStart = false
            return true
        }
        guard byte == UInt8(ascii: ",") else { throw error("expected ',' or ']' after an array element") }
        offset += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
        return true
    }

    // MARK: Scalars

    /// A string, fully unescaped (including `\uXXXX` surrogate pairs).
    public mutating func readString() throws(JSONSyntaxError) -> String {
        try readStringBytes().string
    }

    /// A string's bytes without allocating when it has no escapes: the dates and enum names
    /// of a case can be matched straight against the input.
    public mutating func readStringBytes() throws(JSONSyntaxError) -> JSONStringBytes {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw unexpected("a string") }
        return try scanString(collect: true)
    }

    /// Validates a string and moves past it, building nothing.
    public mutating func skipString() throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw unexpected("a string") }
        _ = try scanString(collect: false)
    }

    /// Validates a number against the JSON grammar and returns its byte range.
    public mutating func readNumberText() throws(JSONSyntaxError) -> Range<Int> {
        try scanNumber().range
    }

    /// An integer (no fraction, no exponent: `1.0` and `1e2` are "expected an integer");
    /// "number out of range" when it does not fit in `Int`.
    public mutating func readInt() throws(JSONSyntaxError) -> Int {
        skipWhitespace()
        let start = offset
        guard let first = peek(), first == UInt8(ascii: "-") || JSONScanner.isDigit(first) else {
            throw unexpected("an integer")
        }
        let (range, isInteger) = try scanNumber()
        guard isInteger else { throw JSONSyntaxError(message: "expected an integer", offset: start) }
        let negative = first == UInt8(ascii: "-")
        // Accumulate negatively: Int.min has no positive counterpart.
        var value = 0
        for index in (negative ? range.lowerBound + 1 : range.lowerBound)..<range.upperBound {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int(bytes[index] &- UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw JSONSyntaxError(message: "number out of range", offset: start) }
            value = next
        }
        if negative { return value }
        guard value != Int.min else { throw JSONSyntaxError(message: "number out of range", offset: start) }
        return -value
    }

    /// A number as an exact decimal; "number out of range" when `JSONDecimal` cannot hold it
    /// exactly.
    public mutating func readDecimal() throws(JSONSyntaxError) -> JSONDecimal {
        skipWhitespace()
        let start = offset
        let range = try scanNumber().range
        guard let value = JSONDecimal(jsonNumberBytes: UnsafeBufferPointer(rebasing: bytes[range])) else {
            throw JSONSyntaxError(message: "number out of range", offset: start)
        }
        return value
    }

    /// `true` or `false`.
    public mutating func readBool() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw unexpected("'true' or 'false'")
    }

    /// `null`.
    public mutating func readNull() throws(JSONSyntaxError) {
        skipWhitespace()
        if !matchLiteral("null") { throw unexpected("'null'") }
    }

    /// Validates any value and moves past it. Iterative, so nesting is limited only by
    /// `maxDepth` and never by the stack.
    public mutating func skipValue() throws(JSONSyntaxError) {
        // One bit per open container opened here (1 = object); the first 64 need no heap.
        var openedHere = 0
        var lowBits: UInt64 = 0
        var highBits: [UInt64] = []
        func isObject(_ level: Int) -> Bool {
            level < 64 ? lowBits >> UInt64(level) & 1 == 1
                : highBits[(level - 64) >> 6] >> UInt64(level & 63) & 1 == 1
        }
        func push(_ object: Bool) {
            let level = openedHere
            if level < 64 {
                if object { lowBits |= 1 << UInt64(level) } else { lowBits &= ~(1 << UInt64(level)) }
            } else {
                let word = (level - 64) >> 6
                if word == highBits.count { highBits.append(0) }
                if object { highBits[word] |= 1 << UInt64(level & 63) } else { highBits[word] &= ~(1 << UInt64(level & 63)) }
            }
            openedHere += 1
        }

        while true {
            // At the start of a value.
            switch try peekKind() {
            case .object:
                try beginObject()
                if try advanceToMember() {
                    _ = try scanString(collect: false)
                    try consumeColon()
                    push(true)
                    continue
                }
            case .array:
                try beginArray()
                if try nextElement() {
                    push(false)
                    continue
                }
            case .string: _ = try scanString(collect: false)
            case .number: _ = try scanNumber()
            case .bool: _ = try readBool()
            case .null: try readNull()
            }
            // A value is complete: move to the next sibling, closing containers that end.
            while openedHere > 0 {
                if isObject(openedHere - 1) {
                    if try advanceToMember() {
                        _ = try scanString(collect: false)
                        try consumeColon()
                        break
                    }
                } else if try nextElement() {
                    break
                }
                openedHere -= 1
            }
            if openedHere == 0 { return }
        }
    }

    // MARK: Positions

    /// 1-based line and column of `offset` in `bytes`. Lines end at `\n`; the column counts
    /// Unicode scalars (UTF-8 lead bytes), so "ü" is one column.
    public static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var column = 1
        for index in 0..<end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    // MARK: Private

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: offset)
    }

    private func endOfInput() -> JSONSyntaxError {
        JSONSyntaxError(message: "unexpected end of input", offset: offset)
    }

    /// "expected X", naming the offending character when it is printable ASCII, or the end.
    private func unexpected(_ what: String) -> JSONSyntaxError {
        guard let byte = peek() else { return endOfInput() }
        if byte == 0xEF, offset + 2 < bytes.count, bytes[offset + 1] == 0xBB, bytes[offset + 2] == 0xBF {
            return error("expected \(what), found a byte order mark")
        }
        if byte > 0x20, byte < 0x7F {
            return error("expected \(what), found '\(Character(Unicode.Scalar(byte)))'")
        }
        return error("expected \(what)")
    }

    private mutating func open(_ bracket: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek() == bracket else { throw unexpected(what) }
        guard depth < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        depth += 1
        offset += 1
        atContainerStart = true
    }

    private mutating func close() {
        depth -= 1
        offset += 1
        atContainerStart = false
    }

    /// Moves onto the opening quote of the next key (true) or past the closing `}` (false).
    private mutating func advanceToMember() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard let byte = peek() else { throw endOfInput() }
        if byte == UInt8(ascii: "}") {
            close()
            return false
        }
        if atContainerStart {
            atContainerStart = false
            guard byte == UInt8(ascii: "\"") else { throw unexpected("a string key or '}'") }
            return true
        }
        guard byte == UInt8(ascii: ",") else { throw error("expected ',' or '}' after an object member") }
        offset += 1
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else {
            if peek() == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
            throw unexpected("a string key")
        }
        return true
    }

    private mutating func consumeColon() throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else {
            if offset == bytes.count { throw endOfInput() }
            throw error("expected ':' after an object key")
        }
        offset += 1
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard bytes.count - offset >= length else { return false }
        let text = literal.utf8Start
        for index in 0..<length where bytes[offset + index] != text[index] { return false }
        offset += length
        return true
    }

    /// Scans a number at `offset` (whitespace already skipped).
    private mutating func scanNumber() throws(JSONSyntaxError) -> (range: Range<Int>, isInteger: Bool) {
        skipWhitespace()
        let start = offset
        var index = offset
        let count = bytes.count
        func digitsFrom(_ index: inout Int) {
            while index < count, JSONScanner.isDigit(bytes[index]) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count, JSONScanner.isDigit(bytes[index]) else {
            if index == start { throw unexpected("a number") }
            throw JSONSyntaxError(message: "expected a digit after '-'", offset: index)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < count, JSONScanner.isDigit(bytes[index]) {
                throw JSONSyntaxError(message: "leading zero in number", offset: start)
            }
        } else {
            digitsFrom(&index)
        }
        var isInteger = true
        if index < count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < count, JSONScanner.isDigit(bytes[index]) else {
                throw JSONSyntaxError(message: "expected a digit after '.'", offset: index)
            }
            digitsFrom(&index)
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count, JSONScanner.isDigit(bytes[index]) else {
                throw JSONSyntaxError(message: "expected a digit in the exponent", offset: index)
            }
            digitsFrom(&index)
        }
        offset = index
        return (start..<index, isInteger)
    }

    /// Scans the string whose opening quote is at `offset`, validating UTF-8, control
    /// characters and escapes. With `collect`, escaped strings are unescaped into a copy;
    /// strings without escapes are always returned as a slice of the input.
    @inline(__always)
    private mutating func scanString(collect: Bool) throws(JSONSyntaxError) -> JSONStringBytes {
        let quote = offset
        let count = bytes.count
        var index = quote + 1
        // Most strings of a case (keys, dates, enum values) are short plain ASCII: this loop
        // holds no array, so it allocates and releases nothing; escapes go to the slow path.
        while true {
            index = plainRun(from: index)
            guard index < count else { throw JSONSyntaxError(message: "unterminated string", offset: quote) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") { return try scanEscapedString(quote: quote, firstEscape: index, collect: collect) }
            if byte < 0x20 { throw JSONSyntaxError(message: "control character in string", offset: index) }
            index = try scanUTF8Sequence(at: index)
        }
        offset = index + 1
        return JSONStringBytes(storage: .input(UnsafeBufferPointer(rebasing: bytes[(quote + 1)..<index])), offset: quote)
    }

    /// The index of the first byte from `index` on that is a quote, a backslash, a control
    /// character or non-ASCII (or the end), 8 bytes at a time where it can.
    @inline(__always)
    private func plainRun(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        return JSONScanner.firstSpecialByte(base, from: start, count: bytes.count)
    }

    /// The index of the first byte in `start..<count` that is a quote, a backslash, a control
    /// character or non-ASCII, or `count` when there is none. Shared with the fast case reader.
    @inline(__always)
    static func firstSpecialByte(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
        var index = start
        while index + 8 <= count {
            let special = specialBytes(UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
            // The lowest marked lane is exact, so this jumps straight to the special byte.
            if special != 0 { return index + special.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return index }
            index += 1
        }
        return index
    }

    /// The rest of a string from its first backslash on.
    private mutating func scanEscapedString(quote: Int, firstEscape: Int, collect: Bool) throws(JSONSyntaxError) -> JSONStringBytes {
        let start = quote + 1
        let count = bytes.count
        var unescaped: [UInt8] = []
        if collect {
            unescaped.reserveCapacity(firstEscape - start + 16)
            unescaped.append(contentsOf: bytes[start..<firstEscape])
        }
        var index = firstEscape
        var runStart = firstEscape
        while true {
            index = plainRun(from: index)
            guard index < count else { throw JSONSyntaxError(message: "unterminated string", offset: quote) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                if collect { unescaped.append(contentsOf: bytes[runStart..<index]) }
                index = try scanEscape(at: index, into: &unescaped, collect: collect)
                runStart = index
            } else if byte < 0x20 {
                throw JSONSyntaxError(message: "control character in string", offset: index)
            } else {
                index = try scanUTF8Sequence(at: index)
            }
        }
        offset = index + 1
        guard collect else { return JSONStringBytes(storage: .input(UnsafeBufferPointer(rebasing: bytes[start..<index])), offset: quote) }
        unescaped.append(contentsOf: bytes[runStart..<index])
        return JSONStringBytes(storage: .unescaped(unescaped), offset: quote)
    }

    /// Marks, by its high bit, each of 8 bytes that may be `"`, `\\`, below 0x20 or at least
    /// 0x80 (SWAR). Borrows run only upwards, so the lowest marked lane (little-endian: the
    /// first byte in memory) is always a real one; lanes above it may be false positives.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeroByte(w ^ (ones &* 0x22))
        let backslash = zeroByte(w ^ (ones &* 0x5C))
        let control = (w &- ones &* 0x20) & ~w & highs
        let nonASCII = w & highs
        return quote | backslash | control | nonASCII
    }

    /// Validates the escape at `start` (a backslash) and returns the index after it.
    private func scanEscape(at start: Int, into out: inout [UInt8], collect: Bool) throws(JSONSyntaxError) -> Int {
        guard start + 1 < bytes.count else { throw JSONSyntaxError(message: "unterminated string", offset: start) }
        let replacement: UInt8
        switch bytes[start + 1] {
        case UInt8(ascii: "\""): replacement = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): replacement = UInt8(ascii: "/")
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            return try scanUnicodeEscape(at: start, into: &out, collect: collect)
        default:
            throw JSONSyntaxError(message: "invalid escape sequence in string", offset: start)
        }
        if collect { out.append(replacement) }
        return start + 2
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`; a lone surrogate is an error because it
    /// cannot become valid UTF-8.
    private func scanUnicodeEscape(at start: Int, into out: inout [UInt8], collect: Bool) throws(JSONSyntaxError) -> Int {
        guard let unit = hex4(at: start + 2) else {
            throw JSONSyntaxError(message: "expected 4 hex digits after '\\u'", offset: start)
        }
        var scalarValue = UInt32(unit)
        var end = start + 6
        if (0xDC00...0xDFFF).contains(unit) {
            throw JSONSyntaxError(message: "unpaired surrogate in '\\u' escape", offset: start)
        }
        if (0xD800...0xDBFF).contains(unit) {
            guard end + 1 < bytes.count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u"),
                  let low = hex4(at: end + 2), (0xDC00...0xDFFF).contains(low)
            else { throw JSONSyntaxError(message: "unpaired surrogate in '\\u' escape", offset: start) }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            end += 6
        }
        if collect {
            // Surrogates were excluded above, so this is always a valid scalar.
            out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalarValue)!)!)
        }
        return end
    }

    private func hex4(at start: Int) -> UInt16? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for index in start..<start + 4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF) and returns the index after it.
    private func scanUTF8Sequence(at start: Int) throws(JSONSyntaxError) -> Int {
        let lead = bytes[start]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw JSONSyntaxError(message: "invalid UTF-8", offset: start)
        }
        guard start + length <= bytes.count, secondRange.contains(bytes[start + 1]) else {
            throw JSONSyntaxError(message: "invalid UTF-8", offset: start)
        }
        for index in start + 2..<start + length where bytes[index] & 0xC0 != 0x80 {
            throw JSONSyntaxError(message: "invalid UTF-8", offset: start)
        }
        return start + length
    }
}
