import PolicyLang

/// A case read and validated against the schema.
public final class DecodedCase: @unchecked Sendable {
    public let id: String
    /// The case's own `stichtag`, if it has one.
    public let stichtag: CalendarDate?
    /// The case's values; replaced once when the case is judged at its Stichtag.
    public private(set) var root: RecordValue
    private var appliedStichtag: CalendarDate?

    init(id: String, stichtag: CalendarDate?, root: RecordValue) {
        self.id = id; self.stichtag = stichtag; self.root = root
    }

    /// The case as it stood on the Stichtag: entries of `dated by` lists after it are dropped.
    func applyStichtag(_ t: CalendarDate, schema: CaseSchema) {
        guard appliedStichtag != t else { return }
        precondition(appliedStichtag == nil, "a decoded case is judged at one Stichtag")
        appliedStichtag = t
        if let replaced = DecodedCase.dropping(after: t, from: root, type: schema.root) { root = replaced }
    }

    /// The record without entries dated after `t`, or nil when nothing had to go (the common
    /// case, which then copies nothing).
    private static func dropping(after t: CalendarDate, from record: RecordValue, type: RecordType) -> RecordValue? {
        guard type.containsDatedList else { return nil }
        var fields: [Value]?
        for (slot, field) in type.fields.enumerated() {
            switch field.type.base {
            case .record(let inner):
                if case .record(let r) = record.fields[slot], let replaced = dropping(after: t, from: r, type: inner) {
                    if fields == nil { fields = record.fields }
                    fields![slot] = .record(replaced)
                }
            case .list(.record(let element)):
                guard case .list(var entries) = record.fields[slot] else { continue }
                var listChanged = false
                if let dateSlot = field.datedBy {
                    func after(_ entry: Value) -> Bool {
                        guard case .record(let r) = entry, case .date(let d) = r.fields[dateSlot] else { return false }
                        return d > t
                    }
                    if entries.contains(where: after) { entries.removeAll(where: after); listChanged = true }
                }
                if element.containsDatedList {
                    for i in entries.indices {
                        if case .record(let r) = entries[i], let replaced = dropping(after: t, from: r, type: element) {
                            entries[i] = .record(replaced); listChanged = true
                        }
                    }
                }
                if listChanged {
                    if fields == nil { fields = record.fields }
                    fields![slot] = .list(entries)
                }
            default: continue
            }
        }
        return fields.map(RecordValue.init)
    }
}

/// Case JSON bytes → `DecodedCase`, driven by the schema: each field is read straight into
/// its typed value; unknown fields and strings no rule reads are validated and skipped.
public struct CaseDecoder: @unchecked Sendable {
    public let schema: CaseSchema
    private let root: RecordPlan
    private let staffPlan: RecordPlan?

    /// With a policy, only what the policy reads is kept; without, every field.
    public init(schema: CaseSchema, policy: CheckedPolicy? = nil) {
        self.schema = schema
        self.root = DecodePlanBuilder.build(root: schema.root, used: policy?.fieldsRead)
        self.staffPlan = schema.records["Fallmanager"].map { DecodePlanBuilder.build(root: $0, used: nil) }
    }

    /// Reads one case. A UTF-8 byte order mark is allowed; anything after the object is an error.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(CaseReadError) -> DecodedCase {
        var scanner = JSONScanner.skippingBOM(bytes)
        var path = CasePath()
        do {
            scanner.skipWhitespace()
            if scanner.isAtEnd { throw CaseReadError(path: "", message: "the input is empty; expected a case object", offset: 0) }
            guard try scanner.peekKind() == .object else {
                throw CaseReadError(path: "", message: "expected a case object `{…}`", offset: scanner.offset)
            }
            let record = try readRecord(root, &scanner, &path)
            try scanner.expectEnd()
            var id = ""
            if let slot = schema.idField, case .string(let s) = record.fields[slot] { id = s }
            var stichtag: CalendarDate?
            if let slot = schema.stichtagField, case .date(let d) = record.fields[slot] { stichtag = d }
            return DecodedCase(id: id, stichtag: stichtag, root: record)
        } catch var error as CaseReadError {
            error.caseID = Self.peekID(bytes)
            throw error
        } catch let error as JSONSyntaxError {
            throw CaseReadError(path: path.description, message: "invalid JSON: \(error.message)", offset: error.offset, caseID: Self.peekID(bytes))
        } catch {
            throw CaseReadError(path: path.description, message: "\(error)", offset: scanner.offset)
        }
    }

    public func decode(_ text: String) throws(CaseReadError) -> DecodedCase {
        let bytes = Array(text.utf8)
        let result: Result<DecodedCase, CaseReadError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(CaseReadError) { return .success(try decode(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The `id` of a case that could not be read, if its top level gets that far, so an error
    /// line still names its case.
    static func peekID(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var scanner = JSONScanner.skippingBOM(bytes)
        do {
            try scanner.beginObject()
            while let key = try scanner.nextKey() {
                if key.equals("id"), try scanner.peekKind() == .string { return try scanner.readString() }
                try scanner.skipValue()
            }
        } catch {}
        return nil
    }

    /// The staff file: `{"fallmanager": [ … ]}`, each entry read as the schema's `Fallmanager`.
    public func decodeStaff(_ bytes: UnsafeBufferPointer<UInt8>) throws(CaseReadError) -> [RecordValue] {
        guard schema.records["Fallmanager"] != nil else {
            throw CaseReadError(path: "", message: "the schema has no record `Fallmanager` for the staff file", offset: 0)
        }
        var scanner = JSONScanner.skippingBOM(bytes)
        var path = CasePath()
        do {
            scanner.skipWhitespace()
            if scanner.isAtEnd { throw CaseReadError(path: "", message: "the staff file is empty", offset: 0) }
            guard try scanner.peekKind() == .object else {
                throw CaseReadError(path: "", message: "expected `{\"fallmanager\": […]}`", offset: scanner.offset)
            }
            try scanner.beginObject()
            var entries: [RecordValue]?
            while let key = try scanner.nextKey() {
                guard key.equals("fallmanager") else { try scanner.skipValue(); continue }
                path.push("fallmanager")
                guard let staffPlan, case .list(let items) = try readValue(.list(.record(staffPlan)), &scanner, &path) else { continue }
                entries = items.compactMap { if case .record(let r) = $0 { return r }; return nil }
                path.pop()
            }
            try scanner.expectEnd()
            guard let entries else { throw CaseReadError(path: "fallmanager", message: "is missing", offset: 0) }
            return entries
        } catch let error as CaseReadError {
            throw error
        } catch let error as JSONSyntaxError {
            throw CaseReadError(path: path.description, message: "invalid JSON: \(error.message)", offset: error.offset)
        } catch {
            throw CaseReadError(path: path.description, message: "\(error)", offset: scanner.offset)
        }
    }

    private func readRecord(_ plan: RecordPlan, _ scanner: inout JSONScanner, _ path: inout CasePath) throws -> RecordValue {
        let start = scanner.offset
        try scanner.beginObject()
        let fields = plan.fields
        var values = [Value](repeating: .absent, count: fields.count)
        var seen = 0 as UInt64   // records have fewer than 64 fields (checked when the plan is built)
        while let key = try scanner.nextKey() {
            let slot = key.withBytes { plan.slot(of: $0) }
            guard let slot else {
                // Unknown extra fields are ignored, but must still be valid JSON.
                try scanner.skipValue()
                continue
            }
            path.push(fields[slot].nameString)
            if seen & (1 << UInt64(slot)) != 0 {
                throw CaseReadError(path: path.description, message: "appears twice in the same object", offset: key.offset)
            }
            seen |= 1 << UInt64(slot)
            values[slot] = try readValue(fields[slot].value, &scanner, &path)
            path.pop()
        }
        for slot in fields.indices {
            let field = fields[slot]
            guard values[slot].isAbsent else { continue }
            if field.isList { values[slot] = .list([]); continue }
            guard field.required else { continue }
            if let other = field.requiredUnless, !values[other].isAbsent { continue }
            path.push(field.nameString)
            defer { path.pop() }
            let why = field.requiredUnless.map { " (it may be absent only while `\(fields[$0].nameString)` is set)" } ?? ""
            throw CaseReadError(path: path.description, message: (seen & (1 << UInt64(slot)) != 0 ? "must not be null" : "is missing") + why,
                                offset: start)
        }
        return RecordValue(fields: values)
    }

    private func readValue(_ plan: ValuePlan, _ scanner: inout JSONScanner, _ path: inout CasePath) throws -> Value {
        let kind = try scanner.peekKind()
        if kind == .null {
            try scanner.readNull()
            return .absent
        }
        let offset = scanner.offset
        func mismatch(_ expected: String) -> CaseReadError {
            CaseReadError(path: path.description, message: "expected \(expected), found \(CaseDecoder.describe(kind))", offset: offset)
        }
        switch plan {
        case .string(let keep):
            guard kind == .string else { throw mismatch("a string") }
            if keep { return .string(try scanner.readString()) }
            try scanner.skipString()
            // Present but read by no rule: a marker, so `required` still sees it.
            return .string("")
        case .bool:
            guard kind == .bool else { throw mismatch("true or false") }
            return .bool(try scanner.readBool())
        case .integer:
            guard kind == .number else { throw mismatch("an integer") }
            return .integer(try scanner.readInt())
        case .decimal:
            guard kind == .number else { throw mismatch("a number") }
            let d = try scanner.readDecimal()
            if d.exponent <= 0, -d.exponent <= 18 { return .decimal(DecimalNumber(significand: d.significand, scale: -d.exponent)) }
            if d.exponent > 0, d.exponent <= 18 {
                let (v, overflow) = d.significand.multipliedReportingOverflow(by: Int64(pow10(d.exponent)))
                if !overflow { return .decimal(DecimalNumber(significand: v, scale: 0)) }
            }
            throw CaseReadError(path: path.description, message: "number out of range", offset: offset)
        case .date:
            guard kind == .string else { throw mismatch("a date \"YYYY-MM-DD\"") }
            let text = try scanner.readStringBytes()
            guard let date = text.withBytes({ CalendarDate.parse(isoBytes: $0) }) else {
                // The value itself is not shown: it may be a birth date.
                let shape = text.withBytes { CaseDecoder.dateProblem($0) }
                throw CaseReadError(path: path.description, message: "not a valid date: \(shape)", offset: offset)
            }
            return .date(date)
        case .enumeration(let e):
            guard kind == .string else { throw mismatch("one of \(e.type.cases.joined(separator: ", "))") }
            let text = try scanner.readStringBytes()
            if let index = text.withBytes({ e.index(of: $0) }) { return .enumCase(index) }
            let shown = CaseDecoder.isCodeLike(text.string) ? "`\(text.string)`" : "value"
            let help = Suggestions.closest(to: text.string, among: e.type.cases).map { "; did you mean `\($0)`?" } ?? ""
            throw CaseReadError(path: path.description,
                                message: "unknown \(e.type.name) \(shown); expected one of \(e.type.cases.joined(separator: ", "))\(help)", offset: offset)
        case .record(let r):
            guard kind == .object else { throw mismatch("an object") }
            return .record(try readRecord(r, &scanner, &path))
        case .list(let element):
            guard kind == .array else { throw mismatch("a list `[…]`") }
            try scanner.beginArray()
            var items: [Value] = []
            var index = 0
            while try scanner.nextElement() {
                path.push(index: index)
                let item = try readValue(element, &scanner, &path)
                if item.isAbsent {
                    throw CaseReadError(path: path.description, message: "a list entry cannot be null", offset: scanner.offset)
                }
                items.append(item)
                path.pop()
                index += 1
            }
            return .list(items)
        case .unsupported(let type):
            throw CaseReadError(path: path.description, message: "the schema gives this field a type cases cannot hold (`\(type)`)", offset: offset)
        }
    }

    private func pow10(_ n: Int) -> Int { var r = 1; for _ in 0..<n { r *= 10 }; return r }

    static func describe(_ kind: JSONScanner.Kind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true/false"
        case .null: "null"
        }
    }

    /// A short identifier-like text is safe to echo (an enum value); free text is not.
    static func isCodeLike(_ s: String) -> Bool {
        s.count <= 40 && s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }

    /// What is wrong with a date, without repeating it.
    static func dateProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let shape = text.utf8.count == 10 && Array(text.utf8).enumerated().allSatisfy { i, b in
            (i == 4 || i == 7) ? b == UInt8(ascii: "-") : (b >= 0x30 && b <= 0x39)
        }
        guard shape else { return "expected YYYY-MM-DD" }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        if parts[1] < 1 || parts[1] > 12 { return "month \(String(format2: parts[1])) does not exist" }
        if parts[0] < 1 { return "year 0000 is out of range" }
        return "day \(String(format2: parts[2])) does not exist in that month"
    }
}

extension String {
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : String(n) }
}

/// The JSON path being read, for error messages.
struct CasePath: CustomStringConvertible {
    enum Component { case key(String), index(Int) }
    private var components: [Component] = []
    mutating func push(_ key: String) { components.append(.key(key)) }
    mutating func push(index: Int) { components.append(.index(index)) }
    mutating func pop() { components.removeLast() }
    var description: String {
        var out = ""
        for c in components {
            switch c {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }
}
