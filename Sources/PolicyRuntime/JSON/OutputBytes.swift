import PolicyLang

/// Output written piece by piece: a batch worker's findings lines and the messages they are made
/// from (reused from case to case), or the report's pretty JSON. A line is dozens of pieces of a
/// few bytes each, and `[UInt8].append(contentsOf:)` spends about 70 instructions of bookkeeping
/// on each, more than copying the piece takes; here an append is a capacity check and the copy.
///
/// Public for a batch run, which writes a block's output lines into one (`CaseStream.check(line:number:to:…)`)
/// and then writes its `bytes` out.
///
/// Unchecked `Sendable` and no exclusivity checks: a worker's workspace holds its own, and only
/// one thread at a time uses a workspace or a block's bytes.
public final class OutputBytes: ByteSink, @unchecked Sendable {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0

    public init(capacity: Int = 1024) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// What has been written; valid until the next append or `removeAll`.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Starts again, keeping the memory.
    public func removeAll() { count = 0 }

    @inline(__always)
    public func append(_ byte: UInt8) {
        if count == capacity { grow(1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let from = run.baseAddress else { return }
        if run.count > capacity - count { grow(run.count) }
        (base + count).update(from: from, count: run.count)
        count += run.count
    }

    @inline(__always)
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    @inline(__always)
    func append(_ run: Slice<UnsafeBufferPointer<UInt8>>) {
        append(UnsafeBufferPointer(rebasing: run))
    }

    @inline(__always)
    func append(literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// `date` as `YYYY-MM-DD`, the text of `CalendarDate.description`.
    func append(date: CalendarDate) {
        if capacity - count < 10 { grow(10) }
        if date.writeISO(to: UnsafeMutableRawPointer(base + count)) {
            count += 10
        } else {
            var text = date.description
            text.withUTF8 { append($0) }
        }
    }

    /// `s` escaped for the inside of a JSON string, as `JSONWriter.quote` escapes it.
    func appendEscaped(_ s: String) {
        var s = s
        s.withUTF8 { appendEscaped($0) }
    }

    func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        var sink = self
        JSONWriter.appendEscaped(text, to: &sink)
    }

    /// `,` if `comma`, a line break, and `indentation` spaces (the pretty JSON layout).
    func appendLineBreak(indentation: Int, comma: Bool) {
        if capacity - count < 2 + indentation { grow(2 + indentation) }
        if comma {
            base[count] = UInt8(ascii: ",")
            count += 1
        }
        base[count] = 0x0A
        for i in count + 1 ..< count + 1 + indentation { base[i] = UInt8(ascii: " ") }
        count += 1 + indentation
    }

    /// `n` in decimal digits.
    func append(decimal n: Int) {
        var digits = 1, rest = n.magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        if n < 0 { append(UInt8(ascii: "-")) }
        if capacity - count < digits { grow(digits) }
        rest = n.magnitude
        for i in stride(from: count + digits - 1, through: count, by: -1) {
            base[i] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count += digits
    }

    /// The bytes as a `String`, checked piece by piece: `String(decoding:as:)` checks ASCII a
    /// word at a time, but a single other byte (the „–“ of a policy title) sends the whole
    /// text through its byte-by-byte check, about ten times slower.
    var text: String {
        let bytes = self.bytes
        var text = ""
        text.reserveCapacity(count)
        var start = 0
        while start < count {
            var end = min(start + 16384, count)
            // Not inside a character: a piece ends before a byte that starts one.
            while end < count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            text += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            start = end
        }
        return text
    }

    /// Room for `needed` more bytes, at least twice the room there was.
    private func grow(_ needed: Int) {
        let grown = max(capacity * 2, count + needed)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.moveInitialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = grown
    }
}
