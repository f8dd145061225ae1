import PolicyLang

// The fast reader: one pass over a case's bytes for the shape nearly every case has (keys in
// plain ASCII, fields mostly in the schema's order, dates and enum names without escapes).
// Whatever it does not know how to read quickly, a single value at a time, it hands to the
// full reader (`readValue`); whatever is wrong, it gives up on, and the full reader reads the
// case again from the start and says precisely what is wrong and where. So the fast reader
// decides nothing of its own: when it returns a record, the full reader returns the same one
// (checked over every case in the tests and by the case-reader fuzz target).

/// A position in one case's bytes.
struct FastCursor {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    /// Never past `count`, so `remaining` and `advance` need no overflow checks.
    var index: Int
    /// Objects and arrays open, as the full reader counts them against `maxDepth`.
    var depth = 0
    /// The Stichtag the case will be judged at, once known (`--as-of`, or the case's own
    /// `stichtag` once read): entries of `dated by` lists after it are dropped as they are read.
    var cutoff: CalendarDate?
    /// Whether the case's own `stichtag` sets the cutoff (cutting, without `--as-of`).
    var cutoffFromCase = false
    /// A `dated by` list was read before the cutoff was known, so the case still needs
    /// `applyStichtag`'s pass.
    var readUncut = false
    /// The worker's `DateCache`, if it has one (a batch worker does).
    var dates: UnsafeMutablePointer<DateCache.Entry>?

    init(bytes: UnsafePointer<UInt8>, count: Int, index: Int) {
        self.bytes = bytes; self.count = count; self.index = index
    }

    /// The bytes from the cursor to the end.
    @inline(__always)
    var remaining: Int { count &- index }

    /// Moves past `n` bytes that the caller has seen in the input.
    @inline(__always)
    mutating func advance(_ n: Int) { index &+= n }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < count, JSONScanner.isWhitespace(bytes[index]) { index += 1 }
    }

    /// The byte at the cursor after whitespace, or nil at the end.
    @inline(__always)
    mutating func nextByte() -> UInt8? {
        // Case lines are mostly written without whitespace between tokens.
        if index < count, bytes[index] > 0x20 { return bytes[index] }
        skipWhitespace()
        return index < count ? bytes[index] : nil
    }

    /// The index of the first byte from `start` on that is a quote, a backslash, a control
    /// character or non-ASCII; nil when the input ends first.
    @inline(__always)
    func plainEnd(from start: Int) -> Int? {
        let end = JSONScanner.firstSpecialByte(bytes, from: start, count: count)
        return end < count ? end : nil
    }

    /// The bytes `start ..< end`, which `plainEnd` found plain ASCII, as a string. One of up to 15
    /// bytes (a case's id, a case manager's key) is then made in place without the UTF-8 check
    /// that `String(decoding:as:)` makes, which was most of what reading such a string cost.
    @inline(__always)
    func plainString(_ start: Int, _ end: Int) -> String {
        let source = bytes + start, n = end &- start
        return String(unsafeUninitializedCapacity: n) { buffer in
            buffer.baseAddress?.initialize(from: source, count: n)
            return n
        }
    }

    /// The date in the ten bytes from `start` on (the caller has checked that the quote after
    /// them is in the input), or nil if they are not one, as `CalendarDate.parse(isoBytes:)`
    /// says; looked up in the worker's `DateCache` first, and entered there once parsed.
    @inline(always)
    func date(at start: Int) -> CalendarDate? {
        guard let dates else { return CalendarDate.parse(isoBytes: UnsafeBufferPointer(start: bytes + start, count: 10)) }
        let (entry, head, tail) = Self.cacheEntry(of: bytes + start, in: dates)
        if entry.pointee.head == head, entry.pointee.tail == tail, entry.pointee.day != DateCache.empty {
            return CalendarDate(dayNumber: entry.pointee.day)
        }
        return Self.enterDate(at: bytes + start, in: entry, head, tail)
    }

    /// Whether the ten bytes at `text` are a date, as `CalendarDate.isValid(isoBytes:)` says, for
    /// dates only checked (entries of lists no rule reads): a hit in `dates` proves it, since only
    /// dates are entered there; a miss is parsed and entered, so that the next such date is a hit.
    @inline(always)
    static func isDate(at text: UnsafePointer<UInt8>, in dates: UnsafeMutablePointer<DateCache.Entry>?) -> Bool {
        guard let dates else { return CalendarDate.isValid(isoBytes: UnsafeBufferPointer(start: text, count: 10)) }
        let (entry, head, tail) = cacheEntry(of: text, in: dates)
        if entry.pointee.head == head, entry.pointee.tail == tail, entry.pointee.day != DateCache.empty { return true }
        return enterDate(at: text, in: entry, head, tail) != nil
    }

    /// The entry of `dates` for the ten bytes at `text`, and those bytes as the entry holds them.
    @inline(__always)
    static func cacheEntry(of text: UnsafePointer<UInt8>, in dates: UnsafeMutablePointer<DateCache.Entry>)
        -> (UnsafeMutablePointer<DateCache.Entry>, head: UInt64, tail: UInt16) {
        let head = UInt64(littleEndian: UnsafeRawPointer(text).loadUnaligned(as: UInt64.self))
        let tail = UInt16(littleEndian: UnsafeRawPointer(text + 8).loadUnaligned(as: UInt16.self))
        return (DateCache.entry(in: dates, head, tail), head, tail)
    }

    /// `date(at:)` for a date not in the cache: parsed, and entered if it is one. Out of line,
    /// so that the loops that read dates hold only the look-up.
    @inline(never)
    static func enterDate(at text: UnsafePointer<UInt8>, in entry: UnsafeMutablePointer<DateCache.Entry>,
                          _ head: UInt64, _ tail: UInt16) -> CalendarDate? {
        guard let date = CalendarDate.parse(isoBytes: UnsafeBufferPointer(start: text, count: 10)) else { return nil }
        entry.pointee = DateCache.Entry(head: head, tail: tail, day: date.dayNumber)
        return date
    }

    /// Whether `entry` of a `dated by` list lies after the cutoff and is dropped; without a
    /// cutoff yet, nothing is dropped and the case keeps its pass through `applyStichtag`.
    @inline(__always)
    mutating func cut(_ entry: Value, _ dateSlot: Int) -> Bool {
        guard let cutoff else { readUncut = true; return false }
        guard case .record(let r) = entry, case .date(let d) = r[dateSlot] else { return false }
        return d > cutoff
    }

    /// Consumes `literal` (`true`, `false`, `null`) if it is next.
    @inline(__always)
    mutating func consume(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard remaining >= n, sameBytes(literal.utf8Start, bytes + index, n) else { return false }
        advance(n)
        return true
    }

    /// Whether the bytes from `index` on begin with `pattern` (whose bytes are in `text`).
    @inline(__always)
    func sees(_ pattern: FlatDecodePlan.Pattern, at index: Int, in text: UnsafePointer<UInt8>) -> Bool {
        // `index` is at most `count`, and the tail word is read only once all is known to be there.
        let available = count &- index, length = Int(pattern.length)
        guard available >= 8 else { return available >= length && sameBytes(text + Int(pattern.start), bytes + index, length) }
        guard word(at: index) & pattern.mask == pattern.head else { return false }
        if length <= 8 { return true }
        guard available >= length, word(at: index &+ length &- 8) == pattern.tail else { return false }
        return length <= 16 || sameBytes(text + Int(pattern.start) + 8, bytes + index + 8, length - 16)
    }

    /// Whether the next two bytes are `first` and `second`.
    @inline(__always)
    func sees(_ first: UInt8, _ second: UInt8) -> Bool {
        guard remaining >= 2 else { return false }
        return UInt16(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt16.self)) == UInt16(second) << 8 | UInt16(first)
    }

    /// The 8 bytes from `index` on, byte k in bits 8k ..< 8k + 8; the caller has checked that
    /// they are all in the input.
    @inline(__always)
    func word(at index: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
    }
}

private let quote: UInt8 = 0x22

extension CaseDecoder {
    /// The case's root record, or nil when the full reader must read it (see above). With
    /// `asOf`, or once the case's own `stichtag` is read, entries of `dated by` lists after that
    /// date are dropped as `applyStichtag` would; `cutAt` tells the date when every such list
    /// was cut, so that pass can be skipped. `dates`: the worker's, if it keeps one.
    func fastDecode(_ buffer: UnsafeBufferPointer<UInt8>, cutting: Bool = false, asOf: CalendarDate? = nil, dates: DateCache? = nil,
                    _ stack: inout ValueStack) -> (root: RecordValue, cutAt: CalendarDate?)? {
        guard let base = buffer.baseAddress else { return nil }
        let bom = buffer.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
        var c = FastCursor(bytes: base, count: buffer.count, index: bom ? 3 : 0)
        c.cutoff = cutting ? asOf : nil
        c.cutoffFromCase = cutting && asOf == nil
        c.dates = dates?.entries
        guard c.nextByte() == UInt8(ascii: "{"), let record = flat.fastRecord(flat.root, &c, &stack) else { return nil }
        c.skipWhitespace()
        guard c.index == c.count else { return nil }
        return (record, c.readUncut ? nil : c.cutoff)
    }
}

// The steps of the fast reader are the flat plan's own, so that its loops hold one reference
// (the plan) where the decoder would bring all of its fields along to every call.
extension FlatDecodePlan {
    /// At `{`.
    func fastRecord(_ r: Int32, _ c: inout FastCursor, _ stack: inout ValueStack) -> RecordValue? {
        guard c.depth < JSONScanner.defaultMaxDepth else { return nil }
        c.depth += 1
        c.index += 1
        let plan = records[Int(r)]
        let fieldCount = Int(plan.fieldCount)
        let fields = fields + Int(plan.firstField), keys = UnsafePointer(keyBuckets + Int(r) &* Self.bucketsPerRecord)
        let stichtagSlot = r == root && c.cutoffFromCase ? stichtagSlot : -1
        // The record is made in place in the arena. Its slots are initialised as their values
        // arrive and the rest at the end, so that no slot is written twice. When reading fails,
        // the slots left uninitialised are never read: the arena destroys only what it placed.
        let slots = stack.arena.uninitializedFields(fieldCount)
        var seen: UInt64 = 0, nulls: UInt64 = 0
        var predicted = 0
        guard let first = c.nextByte() else { return nil }
        if first == UInt8(ascii: "}") {
            c.index += 1
        } else {
            guard first == quote else { return nil }
            while true {
                // At a key's opening quote.
                guard let slot = fieldSlot(fields, fieldCount, keys, trying: predicted, &c), let first = c.nextByte() else { return nil }
                if slot < 0 {
                    // Unknown fields are ignored, but must still be valid JSON.
                    guard skip(&c, string: false) else { return nil }
                } else {
                    let bit: UInt64 = 1 &<< UInt64(slot)
                    guard seen & bit == 0 else { return nil }
                    predicted = slot + 1
                    let field = fields[slot]
                    guard let value = fastValue(field.node, field.value, datedBy: field.datedBy, first: first, &c, &stack) else { return nil }
                    seen |= bit
                    if value.isAbsent {
                        nulls |= bit
                    } else {
                        if slot == stichtagSlot, case .date(let d) = value { c.cutoff = d }
                        stack.arena.place(value, at: slots + slot)
                    }
                }
                // In a compact line, mostly a comma and the next key's quote.
                if c.sees(UInt8(ascii: ","), quote) { c.advance(1); continue }
                guard let delimiter = c.nextByte() else { return nil }
                c.index += 1
                if delimiter == UInt8(ascii: "}") { break }
                guard delimiter == UInt8(ascii: ","), c.nextByte() == quote else { return nil }
            }
        }
        c.depth -= 1
        let all: UInt64 = fieldCount == 64 ? ~0 : (1 &<< UInt64(fieldCount)) &- 1
        let present = seen & ~nulls
        if present != all, !initializeAbsent(all & ~present, slots, plan, fields, present: present) { return nil }
        return stack.arena.record(madeAt: slots, count: fieldCount)
    }

    /// At `{` of a record whose fields are all `scalar`, at a depth where it may open: the
    /// record, if it has the common shape (every field in the schema's order, none null, no
    /// whitespace, dates, enum names and kept strings plain ASCII), having moved past it.
    /// As `checkCompactEntry` does for lists no rule reads, each key is matched with the byte
    /// before it and each value by its field's kind, in one pass: every field comes once, so
    /// none is absent or twice, and there is no search for a slot and no bookkeeping of what
    /// was seen. Nil, with the cursor where it was, for anything else: `fastRecord` then reads
    /// the record from its start and decides. The slots taken for a record not read so are left
    /// as they are until the arena's reset, which releases the kept strings placed in them.
    @inline(always)
    private func compactRecord(_ plan: Record, _ c: inout FastCursor, _ stack: inout ValueStack) -> RecordValue? {
        let start = c.index
        let fieldCount = Int(plan.fieldCount)
        let fields = fields + Int(plan.firstField), keys = entryKeys + Int(plan.firstField)
        let slots = stack.arena.uninitializedFields(fieldCount)
        for slot in 0..<fieldCount {
            let key = keys[slot]
            guard c.sees(key, at: c.index, in: text), c.remaining > Int(key.length) else { c.index = start; return nil }
            c.advance(Int(key.length))
            let node = fields[slot].node
            switch node.kind {
            case .date:
                // `"YYYY-MM-DD"`: 12 bytes with both quotes.
                guard c.remaining >= 12, c.bytes[c.index] == quote, c.bytes[c.index &+ 11] == quote,
                      let date = c.date(at: c.index &+ 1) else { c.index = start; return nil }
                c.advance(12)
                (slots + slot).initialize(to: .date(date))
            case .enumeration:
                guard c.bytes[c.index] == quote, let k = enumCase(node.sub, &c) else { c.index = start; return nil }
                (slots + slot).initialize(to: .enumCase(k))
            case .bool:
                if c.consume("true") {
                    (slots + slot).initialize(to: .bool(true))
                } else if c.consume("false") {
                    (slots + slot).initialize(to: .bool(false))
                } else {
                    c.index = start; return nil
                }
            case .skippedString:
                guard c.bytes[c.index] == quote, let end = c.plainEnd(from: c.index &+ 1) else { c.index = start; return nil }
                if c.bytes[end] == quote {
                    c.index = end &+ 1
                } else {
                    // Not plain ASCII (free text): the scanner checks the rest.
                    guard skip(&c, string: true) else { c.index = start; return nil }
                }
                // Present but read by no rule: the full reader's marker. An empty string holds no
                // storage, so the arena need not note it.
                (slots + slot).initialize(to: .string(""))
            case .keptString:
                guard c.bytes[c.index] == quote, let end = c.plainEnd(from: c.index &+ 1), c.bytes[end] == quote else { c.index = start; return nil }
                let text = c.plainString(c.index &+ 1, end)
                c.index = end &+ 1
                stack.arena.place(.string(text), at: slots + slot)
            default:
                c.index = start; return nil
            }
        }
        guard c.remaining >= 1, c.bytes[c.index] == UInt8(ascii: "}") else { c.index = start; return nil }
        c.advance(1)
        return stack.arena.record(madeAt: slots, count: fieldCount)
    }

    /// Initialises the `absent` slots of a record (`slots`; nil: only checks them) by the full
    /// reader's rules, slot by slot in the same order: an absent list is empty (so a `required
    /// unless` on a list further on still sees it absent); an absent required field is an error
    /// unless its `requiredUnless` field is there. False for such an error.
    @inline(never)
    private func initializeAbsent(_ absent: UInt64, _ slots: UnsafeMutablePointer<Value>?, _ plan: Record,
                                  _ fields: UnsafePointer<Field>, present: UInt64) -> Bool {
        var valid = true
        var absent = absent
        while absent != 0 {
            let slot = absent.trailingZeroBitCount
            absent &= absent &- 1
            let bit: UInt64 = 1 &<< UInt64(slot)
            if plan.lists & bit != 0 { slots?.advanced(by: slot).initialize(to: .list(.empty)); continue }
            slots?.advanced(by: slot).initialize(to: .absent)
            guard plan.required & bit != 0 else { continue }
            let unless = Int(fields[slot].requiredUnless)
            if unless >= 0 {
                let other: UInt64 = 1 &<< UInt64(unless)
                if present & other != 0 || (plan.lists & other != 0 && unless < slot) { continue }
            }
            valid = false
        }
        return valid
    }

    /// At a key's opening quote: the slot of the field it names, having moved past the key and
    /// its colon; -1 for a field the record does not have; nil to give up. `keys`: the record's
    /// `keyBuckets`.
    @inline(always)
    private func fieldSlot(_ fields: UnsafePointer<Field>, _ fieldCount: Int, _ keys: UnsafePointer<UInt64>, trying predicted: Int,
                           _ c: inout FastCursor) -> Int? {
        // Writers keep the schema's order, so the field after the last one comes first, and in
        // a compact line its key comes with its closing quote and colon: no search for the end.
        if predicted < fieldCount, c.sees(fields[predicted].key, at: c.index &+ 1, in: text) {
            c.advance(1 &+ Int(fields[predicted].key.length))
            return predicted
        }
        return searchFieldSlot(fields, fieldCount, keys, &c)
    }

    /// `fieldSlot` for a key that is not the predicted one: a field left out, or out of order,
    /// whitespace before the colon, or a field the schema does not have. The fields whose names
    /// start with the key's first byte (by its bucket) are tried first, each with its quote and
    /// colon; only a key none of them matches so is compared by its name with every field.
    @inline(never)
    private func searchFieldSlot(_ fields: UnsafePointer<Field>, _ fieldCount: Int, _ keys: UnsafePointer<UInt64>,
                                 _ c: inout FastCursor) -> Int? {
        let keyStart = c.index + 1
        if keyStart < c.count {
            var candidates = keys[Int(c.bytes[keyStart] & 31)]
            while candidates != 0 {
                let slot = candidates.trailingZeroBitCount
                candidates &= candidates &- 1
                if c.sees(fields[slot].key, at: keyStart, in: text) {
                    c.index = keyStart + Int(fields[slot].key.length)
                    return slot
                }
            }
        }
        guard let keyEnd = c.plainEnd(from: keyStart), c.bytes[keyEnd] == quote else { return nil }
        c.index = keyEnd + 1
        guard c.nextByte() == UInt8(ascii: ":") else { return nil }
        c.index += 1
        let keyLength = keyEnd - keyStart
        for slot in 0..<fieldCount {
            let key = fields[slot].key
            // The pattern is the name, its quote and colon.
            if Int(key.length) - 2 == keyLength, sameBytes(text + Int(key.start), c.bytes + keyStart, keyLength) { return slot }
        }
        return -1
    }

    /// Moves past the value at the cursor, or (`string`) the string, as the scanner validates
    /// it; false when it is not valid JSON.
    @inline(never)
    private func skip(_ c: inout FastCursor, string: Bool) -> Bool {
        var scanner = JSONScanner(UnsafeBufferPointer(start: c.bytes, count: c.count), maxDepth: JSONScanner.defaultMaxDepth - c.depth)
        scanner.offset = c.index
        do {
            if string { try scanner.skipString() } else { try scanner.skipValue() }
        } catch {
            return false
        }
        c.index = scanner.offset
        return true
    }

    /// At the first byte of a value, `first`; `.absent` for null; nil to give up. `v`: the
    /// value's node, `node`, by its index.
    @inline(always)
    private func fastValue(_ node: ValueNode, _ v: Int32, datedBy: Int32 = -1, first: UInt8,
                           _ c: inout FastCursor, _ stack: inout ValueStack) -> Value? {
        if first == UInt8(ascii: "n") { return c.consume("null") ? .absent : nil }
        switch node.kind {
        case .skippedString:
            guard first == quote, let end = c.plainEnd(from: c.index + 1) else { break }
            if c.bytes[end] == quote {
                c.index = end + 1
            } else {
                // Not plain ASCII (free text): the scanner checks the rest.
                guard skip(&c, string: true) else { return nil }
            }
            // Present but read by no rule: a marker, as the full reader leaves.
            return .string("")
        case .keptString:
            guard first == quote, let end = c.plainEnd(from: c.index + 1), c.bytes[end] == quote else { break }
            let text = c.plainString(c.index &+ 1, end)
            c.index = end + 1
            return .string(text)
        case .bool:
            if first == UInt8(ascii: "t"), c.consume("true") { return .bool(true) }
            if first == UInt8(ascii: "f"), c.consume("false") { return .bool(false) }
        case .date:
            // `"YYYY-MM-DD"`: 12 bytes with both quotes.
            guard first == quote, c.remaining >= 12, c.bytes[c.index &+ 11] == quote, let date = c.date(at: c.index &+ 1) else { break }
            c.advance(12)
            return .date(date)
        case .enumeration:
            guard first == quote, let k = enumCase(node.sub, &c) else { break }
            return .enumCase(k)
        case .record:
            guard first == UInt8(ascii: "{") else { break }
            let plan = records[Int(node.sub)]
            if plan.scalar, c.depth < JSONScanner.defaultMaxDepth, let record = compactRecord(plan, &c, &stack) { return .record(record) }
            return fastRecord(node.sub, &c, &stack).map(Value.record)
        case .list:
            guard first == UInt8(ascii: "[") else { break }
            return fastList(node.sub, datedBy: Int(datedBy), &c, &stack)
        case .skippedList:
            guard first == UInt8(ascii: "[") else { break }
            // Read by no rule: checked entry by entry, and empty, as the full reader leaves it.
            return checkList(node.sub, &c, &stack) ? .list(.empty) : nil
        case .other:
            break
        }
        return handOver(v, &c, &stack)
    }

    /// At an enum value's opening quote: the case of enumeration `e` it names, having moved
    /// past its closing quote; nil for any other string, and when fewer than 8 bytes are left
    /// (the full reader reads it).
    @inline(always)
    private func enumCase(_ e: Int32, _ c: inout FastCursor) -> Int? {
        let start = c.index &+ 1
        guard c.count &- start >= 8 else { return nil }
        let enumeration = enumerations[Int(e)]
        let names = enumNames + Int(enumeration.firstName)
        let word = c.word(at: start)
        var candidates = enumBuckets[Int(enumeration.firstBucket) + Int(word & 31)]
        while candidates != 0 {
            let k = candidates.trailingZeroBitCount
            candidates &= candidates &- 1
            let name = names[k]
            if word & name.mask == name.head, name.length <= 8 || c.sees(name, at: start, in: text) {
                c.index = start &+ Int(name.length)
                return k
            }
        }
        return nil
    }

    /// At `[`. `datedBy`: the slot of the entries' date in a `dated by` list, else -1.
    private func fastList(_ element: Int32, datedBy: Int, _ c: inout FastCursor, _ stack: inout ValueStack) -> Value? {
        guard c.depth < JSONScanner.defaultMaxDepth else { return nil }
        c.depth += 1
        c.index += 1
        let node = values[Int(element)]
        let opener = Self.opener(node.kind)
        let base = stack.count
        guard var next = c.nextByte() else { return nil }
        if next == UInt8(ascii: "]") {
            c.index += 1
        } else {
            while true {
                guard let item = fastValue(node, element, first: next, &c, &stack), !item.isAbsent else { return nil }
                if datedBy < 0 || !c.cut(item, datedBy) { stack.push(item) }
                // In a compact line, mostly a comma and the next entry.
                if c.sees(UInt8(ascii: ","), opener) { c.advance(1); next = opener; continue }
                guard let delimiter = c.nextByte() else { return nil }
                c.index += 1
                if delimiter == UInt8(ascii: "]") { break }
                guard delimiter == UInt8(ascii: ","), let following = c.nextByte(), following != UInt8(ascii: "]") else { return nil }
                next = following
            }
        }
        c.depth -= 1
        return .list(stack.popList(from: base, mayHoldReferences: node.kind.mayHoldReference))
    }

    /// The byte an entry of a list of `kind` mostly starts with (a bool's never comes).
    @inline(__always)
    private static func opener(_ kind: Kind) -> UInt8 {
        switch kind {
        case .record: UInt8(ascii: "{")
        case .list, .skippedList: UInt8(ascii: "[")
        default: quote
        }
    }

    // Lists no rule reads. Their entries are checked as the fast reader reads any other (keys,
    // duplicates, required fields, dates, enum names, booleans, nested values), with the same
    // hand-over to the full reader and the same giving up, but nothing is stored: no arena slot,
    // no record, no entry on the stack. The full reader reads such a list the same way and
    // returns it empty, so where this accepts a list, the full reader accepts it too.

    /// At `[` of a list no rule reads: whether all its entries are valid, having moved past it.
    private func checkList(_ element: Int32, _ c: inout FastCursor, _ stack: inout ValueStack) -> Bool {
        guard c.depth < JSONScanner.defaultMaxDepth else { return false }
        c.depth += 1
        c.index += 1
        let node = values[Int(element)]
        let opener = Self.opener(node.kind)
        // Entries of a flat record, at a depth where they may nest, are mostly checked in one pass.
        let flatEntry = node.kind == .record && records[Int(node.sub)].flat && c.depth < JSONScanner.defaultMaxDepth
        let entry = records[Int(flatEntry ? node.sub : 0)], steps = UnsafePointer(entrySteps + Int(entry.firstField))
        let tails = entry.tails >= 0 ? tailSets[Int(entry.tails)] : EntryTails(firstStep: entry.fieldCount, hashedWords: 0, bucketBits: 0, firstBucket: 0)
        guard var next = c.nextByte() else { return false }
        if next == UInt8(ascii: "]") {
            c.index += 1
        } else {
            while true {
                // Whether the entry at the cursor is still to be checked.
                var entryLeft = true
                if flatEntry, next == UInt8(ascii: "{") {
                    let run = compactEntries(steps, tails, c.bytes, c.count, from: c.index, dates: c.dates)
                    c.index = run.end
                    entryLeft = run.atEntry
                }
                if entryLeft {
                    guard checkValue(node, element, first: next, &c, &stack) == true else { return false }
                }
                if c.sees(UInt8(ascii: ","), opener) { c.advance(1); next = opener; continue }
                guard let delimiter = c.nextByte() else { return false }
                c.index += 1
                if delimiter == UInt8(ascii: "]") { break }
                guard delimiter == UInt8(ascii: ","), let following = c.nextByte(), following != UInt8(ascii: "]") else { return false }
                next = following
            }
        }
        c.depth -= 1
        return true
    }

    /// At `{` (`start`) of an entry of a list no rule reads whose record is `flat`, with `steps`
    /// its `entrySteps` and `tails` its `EntryTails`: checks the entries in the common shape from there on, as long as a
    /// comma and the next entry's `{` follow each, with the position in a register rather than
    /// in the cursor. `end`: after the last entry checked, or (`atEntry`) at the `{` of the first
    /// that is not in the common shape, which `checkRecord` then reads and decides. `dates`: the
    /// worker's `DateCache`, if it has one.
    @inline(never)
    private func compactEntries(_ steps: UnsafePointer<EntryStep>, _ tails: EntryTails, _ bytes: UnsafePointer<UInt8>,
                                _ count: Int, from start: Int, dates: UnsafeMutablePointer<DateCache.Entry>?) -> (end: Int, atEntry: Bool) {
        var start = start
        while let end = compactEntryEnd(steps, tails, bytes, count, from: start, dates: dates) {
            guard count &- end >= 2, bytes[end] == UInt8(ascii: ","), bytes[end &+ 1] == UInt8(ascii: "{") else { return (end, false) }
            start = end &+ 1
        }
        return (start, true)
    }

    /// At `{` (`start`) of an entry of a list no rule reads whose record is `flat`, with `steps`
    /// its `entrySteps`: the index after the entry when it has the common shape (every field in
    /// the schema's order, none null, no whitespace) and is valid. Each key comes with the byte
    /// before it and each value is one of a few kinds, so the entry is matched word by word,
    /// without the search for each field's slot and the bookkeeping of `checkRecord`. Nil for
    /// anything else: `checkRecord` then reads the entry and decides.
    @inline(__always)
    private func compactEntryEnd(_ steps: UnsafePointer<EntryStep>, _ tails: EntryTails, _ bytes: UnsafePointer<UInt8>,
                                 _ count: Int, from start: Int, dates: UnsafeMutablePointer<DateCache.Entry>?) -> Int? {
        @inline(__always) func word(_ i: Int) -> UInt64 {
            UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
        }
        /// Whether the bytes from `i` on begin with `p`: its last word first (the names of an
        /// enumeration's field begin alike, with the key), then its first and those between.
        @inline(__always) func begins(_ i: Int, with p: Pattern) -> Bool {
            let n = Int(p.length), available = count &- i
            guard available >= 8, available >= n else { return false }
            if n > 8 { guard word(i &+ n &- 8) == p.tail else { return false } }
            guard word(i) & p.mask == p.head else { return false }
            var k = 8
            while k < n &- 8 {
                guard word(i &+ k) == UInt64(littleEndian: UnsafeRawPointer(text + Int(p.start) + k).loadUnaligned(as: UInt64.self))
                else { return false }
                k &+= 8
            }
            return true
        }
        var i = start
        for s in 0..<Int(tails.firstStep) {
            let step = steps[s]
            switch step.kind {
            case .date:
                // The key with the opening quote, then `YYYY-MM-DD"`.
                guard begins(i, with: step.key) else { return nil }
                i &+= Int(step.key.length)
                guard count &- i >= 11, bytes[i &+ 10] == quote, FastCursor.isDate(at: bytes + i, in: dates) else { return nil }
                i &+= 11
            case .enumeration:
                // The key, a name and its closing quote, compared with the names that start with the same byte.
                let first = i &+ Int(step.key.length)
                guard first < count else { return nil }
                var candidates = enumBuckets[Int(step.buckets) &+ Int(bytes[first] & 31)], length = 0
                let names = entryNames + Int(step.names)
                while candidates != 0 {
                    let name = names[candidates.trailingZeroBitCount]
                    candidates &= candidates &- 1
                    if begins(i, with: name) { length = Int(name.length); break }
                }
                guard length > 0 else { return nil }
                i &+= length
            case .bool:
                // The key, then `true` or `false`, whose first four bytes are told apart as a word.
                guard begins(i, with: step.key) else { return nil }
                i &+= Int(step.key.length)
                let available = count &- i
                let four = available >= 4 ? UInt32(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt32.self)) : 0
                if four == 0x6575_7274 {
                    i &+= 4
                } else if four == 0x736C_6166, available >= 5, bytes[i &+ 4] == UInt8(ascii: "e") {
                    i &+= 5
                } else {
                    return nil
                }
            default:
                return nil
            }
        }
        guard tails.hashedWords > 0 else {
            guard i < count, bytes[i] == UInt8(ascii: "}") else { return nil }
            return i &+ 1
        }
        // The rest, compared with the tails of its bucket: each from its last word on, which
        // tells apart those that differ only in their last field.
        guard count &- i >= 8 &* Int(tails.hashedWords) else { return nil }
        let bucket = Int(tails.firstBucket) &+ Self.tailBucket(bytes + i, words: Int(tails.hashedWords), bits: Int(tails.bucketBits))
        var t = Int(tailBuckets[bucket])
        let last = Int(tailBuckets[bucket &+ 1])
        while t < last {
            let tail = entryTails[t], n = Int(tail.length)
            t &+= 1
            guard count &- i >= n, word(i &+ n &- 8) == tail.tail else { continue }
            var k = 0, same = true
            while k < n &- 8 {
                if word(i &+ k) != UInt64(littleEndian: UnsafeRawPointer(text + Int(tail.start) + k).loadUnaligned(as: UInt64.self)) {
                    same = false
                    break
                }
                k &+= 8
            }
            if same { return i &+ n }
        }
        return nil
    }

    /// At `{` of a record inside a list no rule reads: whether it is valid, having moved past it.
    private func checkRecord(_ r: Int32, _ c: inout FastCursor, _ stack: inout ValueStack) -> Bool {
        guard c.depth < JSONScanner.defaultMaxDepth else { return false }
        c.depth += 1
        c.index += 1
        let plan = records[Int(r)]
        let fieldCount = Int(plan.fieldCount)
        let fields = fields + Int(plan.firstField), keys = UnsafePointer(keyBuckets + Int(r) &* Self.bucketsPerRecord)
        var seen: UInt64 = 0, nulls: UInt64 = 0
        var predicted = 0
        guard let first = c.nextByte() else { return false }
        if first == UInt8(ascii: "}") {
            c.index += 1
        } else {
            guard first == quote else { return false }
            while true {
                guard let slot = fieldSlot(fields, fieldCount, keys, trying: predicted, &c), let first = c.nextByte() else { return false }
                if slot < 0 {
                    guard skip(&c, string: false) else { return false }
                } else {
                    let bit: UInt64 = 1 &<< UInt64(slot)
                    guard seen & bit == 0 else { return false }
                    predicted = slot + 1
                    let field = fields[slot]
                    guard let isValue = checkValue(field.node, field.value, first: first, &c, &stack) else { return false }
                    seen |= bit
                    if !isValue { nulls |= bit }
                }
                if c.sees(UInt8(ascii: ","), quote) { c.advance(1); continue }
                guard let delimiter = c.nextByte() else { return false }
                c.index += 1
                if delimiter == UInt8(ascii: "}") { break }
                guard delimiter == UInt8(ascii: ","), c.nextByte() == quote else { return false }
            }
        }
        c.depth -= 1
        let all: UInt64 = fieldCount == 64 ? ~0 : (1 &<< UInt64(fieldCount)) &- 1
        let present = seen & ~nulls
        return present == all || initializeAbsent(all & ~present, nil, plan, fields, present: present)
    }

    /// At the first byte of a value inside a list no rule reads, `first`: true for a valid value,
    /// false for null, nil to give up.
    @inline(always)
    private func checkValue(_ node: ValueNode, _ v: Int32, first: UInt8, _ c: inout FastCursor, _ stack: inout ValueStack) -> Bool? {
        if first == UInt8(ascii: "n") { return c.consume("null") ? false : nil }
        switch node.kind {
        case .skippedString, .keptString:
            guard first == quote, let end = c.plainEnd(from: c.index + 1) else { break }
            if c.bytes[end] == quote {
                c.index = end + 1
            } else {
                // Escapes or free text that is not plain ASCII: the scanner checks the rest.
                guard skip(&c, string: true) else { return nil }
            }
            return true
        case .bool:
            if first == UInt8(ascii: "t"), c.consume("true") { return true }
            if first == UInt8(ascii: "f"), c.consume("false") { return true }
        case .date:
            guard first == quote, c.remaining >= 12, c.bytes[c.index &+ 11] == quote,
                  FastCursor.isDate(at: c.bytes + c.index + 1, in: c.dates) else { break }
            c.advance(12)
            return true
        case .enumeration:
            guard first == quote, enumCase(node.sub, &c) != nil else { break }
            return true
        case .record:
            guard first == UInt8(ascii: "{") else { break }
            return checkRecord(node.sub, &c, &stack) ? true : nil
        case .list, .skippedList:
            guard first == UInt8(ascii: "[") else { break }
            return checkList(node.sub, &c, &stack) ? true : nil
        case .other:
            break
        }
        // Rare shapes (numbers, escaped dates and names, anything wrong): the full reader reads
        // the value, which is dropped.
        return handOver(v, &c, &stack) == nil ? nil : true
    }

    /// One value read by the full reader, from the cursor on; nil when that fails. Never
    /// inlined: it is the rare way, and inlined it would crowd the loops that call it.
    @inline(never)
    private func handOver(_ v: Int32, _ c: inout FastCursor, _ stack: inout ValueStack) -> Value? {
        var scanner = JSONScanner(UnsafeBufferPointer(start: c.bytes, count: c.count), maxDepth: JSONScanner.defaultMaxDepth - c.depth)
        scanner.offset = c.index
        do {
            let value = try CaseDecoder.readValue(fullPlans[Int(v)], &scanner, &stack)
            c.index = scanner.offset
            return value
        } catch {
            return nil
        }
    }
}

extension CaseDecoder {
    /// Whether the fast reader agrees with the full reader on `bytes`: where it returns a case,
    /// the full reader returns one with the same values; where the full reader refuses the
    /// bytes, the fast reader gives up too. For the tests and the case-reader fuzz target.
    /// `dates`: a cache kept from call to call, as a batch worker keeps its own.
    public func readersAgree(on bytes: UnsafeBufferPointer<UInt8>, asOf: CalendarDate? = nil, dates: DateCache? = nil) -> Bool {
        var fastStack = ValueStack(arena: CaseArena()), fullStack = ValueStack(arena: CaseArena())
        let fast = fastDecode(bytes, cutting: true, asOf: asOf, dates: dates, &fastStack)
        let full: DecodedCase
        do { full = try fullDecode(bytes, &fullStack) } catch { return fast == nil }
        guard let fast else { return true }
        // Both as judged at their Stichtag: the fast reader may have dropped later entries already.
        let fastCase = decodedCase(fast.root, fastStack.arena, cutAt: fast.cutAt)
        let t = asOf ?? full.stichtag ?? CalendarDate(year: 2025, month: 3, day: 1)!
        if fast.cutAt != nil, fast.cutAt != t { return false }
        fastCase.applyStichtag(t, schema: schema)
        full.applyStichtag(t, schema: schema)
        return Value.record(fastCase.root).sameContent(as: .record(full.root))
    }
}

extension CaseDecoder {
    /// Whether the fast reader reads `text` by itself (for the tests: that it is used at all).
    public func fastReaderReads(_ text: String) -> Bool {
        var stack = ValueStack(arena: CaseArena())
        return Array(text.utf8).withUnsafeBufferPointer { fastDecode($0, &stack) } != nil
    }
}

extension Value {
    /// Equal all the way down: records field by field (`==` compares records by identity).
    public func sameContent(as other: Value) -> Bool {
        switch (self, other) {
        case (.record(let a), .record(let b)):
            guard a.count == b.count else { return false }
            for slot in 0..<a.count where !a[slot].sameContent(as: b[slot]) { return false }
            return true
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameContent(as: $1) }
        case (.set(let a), .set(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameContent(as: $1) }
        default:
            return self == other
        }
    }
}
