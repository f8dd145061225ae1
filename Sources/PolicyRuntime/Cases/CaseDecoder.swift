import PolicyLang

/// A case read and validated against the schema.
public final class DecodedCase: @unchecked Sendable {
    public let id: String
    /// The case's own `stichtag`, if it has one.
    public let stichtag: CalendarDate?
    public let root: RecordValue
    private var appliedStichtag: CalendarDate?

    init(id: String, stichtag: CalendarDate?, root: RecordValue) {
        self.id = id; self.stichtag = stichtag; self.root = root
    }

    /// The case as it stood on the Stichtag: entries of `dated by` lists after it are dropped.
    func applyStichtag(_ t: CalendarDate, schema: CaseSchema) {
        guard appliedStichtag != t else { return }
        precondition(appliedStichtag == nil, "a decoded case is judged at one Stichtag")
        appliedStichtag = t
        DecodedCase.drop(after: t, in: root, type: schema.root)
    }

    private static func drop(after t: CalendarDate, in record: RecordValue, type: RecordType) {
        for (slot, field) in type.fields.enumerated() {
            switch field.type.base {
            case .record(let inner):
                if case .record(let r) = record.fields[slot] { drop(after: t, in: r, type: inner) }
            case .list(.record(let element)):
                guard case .list(let entries) = record.fields[slot] else { continue }
                var kept = entries
                if let dateSlot = field.datedBy {
                    kept = entries.filter { entry in
                        guard case .record(let r) = entry, case .date(let d) = r.fields[dateSlot] else { return true }
                        return d <= t
                    }
                    record.fields[slot] = .list(kept)
                }
                for case .record(let r) in kept { drop(after: t, in: r, type: element) }
            default: continue
            }
        }
    }
}

/// Case JSON bytes → `DecodedCase`, driven by the schema: each field is read straight into
/// its typed value, unknown fields are validated and skipped.
public struct CaseDecoder: Sendable {
    public let schema: CaseSchema
    /// Field names as bytes, per record, so keys are matched without building strings.
    private let fieldNames: [ObjectIdentifier: [[UInt8]]]

    public init(schema: CaseSchema) {
        self.schema = schema
        var names: [ObjectIdentifier: [[UInt8]]] = [:]
        for record in schema.records.values { names[ObjectIdentifier(record)] = record.fields.map { Array($0.name.utf8) } }
        self.fieldNames = names
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
            let root = try readRecord(schema.root, &scanner, &path)
            try scanner.expectEnd()
            var id = ""
            if let slot = schema.idField, case .string(let s) = root.fields[slot] { id = s }
            var stichtag: CalendarDate?
            if let slot = schema.stichtagField, case .date(let d) = root.fields[slot] { stichtag = d }
            return DecodedCase(id: id, stichtag: stichtag, root: root)
        } catch var error as CaseReadError {
            error.caseID = Self.peekID(bytes)
            throw error
        } catch let error as JSONSyntaxError {
            throw CaseReadError(path: path.description, message: "invalid JSON: \(error.message)", offset: error.offset, caseID: Self.peekID(bytes))
        } catch {
            throw CaseReadError(path: path.description, message: "\(error)", offset: scanner.offset)
        }
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

    public func decode(_ text: String) throws(CaseReadError) -> DecodedCase {
        let bytes = Array(text.utf8)
        let result: Result<DecodedCase, CaseReadError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(CaseReadError) { return .success(try decode(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The staff file: `{"fallmanager": [ … ]}`, each entry read as the schema's `Fallmanager`.
    public func decodeStaff(_ bytes: UnsafeBufferPointer<UInt8>) throws(CaseReadError) -> [RecordValue] {
        guard let staffType = schema.records["Fallmanager"] else {
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
                guard case .list(let items) = try readValue(.list(.record(staffType)), &scanner, &path) else { continue }
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

    private func readRecord(_ type: RecordType, _ scanner: inout JSONScanner, _ path: inout CasePath) throws -> RecordValue {
        let start = scanner.offset
        try scanner.beginObject()
        let names = fieldNames[ObjectIdentifier(type)] ?? []
        var values = [Value](repeating: .absent, count: type.fields.count)
        var seen = [Bool](repeating: false, count: type.fields.count)
        while let key = try scanner.nextKey() {
            let slot = key.withBytes { bytes in names.firstIndex { $0.elementsEqual(bytes) } }
            guard let slot else {
                // Unknown extra fields are ignored, but must still be valid JSON.
                try scanner.skipValue()
                continue
            }
            let field = type.fields[slot]
            path.push(field.name)
            if seen[slot] {
                throw CaseReadError(path: path.description, message: "appears twice in the same object", offset: key.offset)
            }
            seen[slot] = true
            values[slot] = try readValue(field.type, &scanner, &path)
            path.pop()
        }
        for (slot, field) in type.fields.enumerated() where field.required && values[slot].isAbsent {
            if let other = field.requiredUnless, !values[other].isAbsent { continue }
            path.push(field.name)
            defer { path.pop() }
            let why = field.requiredUnless.map { " (it may be absent only while `\(type.fields[$0].name)` is set)" } ?? ""
            throw CaseReadError(path: path.description, message: (seen[slot] ? "must not be null" : "is missing") + why, offset: start)
        }
        for (slot, field) in type.fields.enumerated() where values[slot].isAbsent {
            if case .list = field.type { values[slot] = .list([]) }
        }
        return RecordValue(fields: values)
    }

    private func readValue(_ type: PolicyType, _ scanner: inout JSONScanner, _ path: inout CasePath) throws -> Value {
        let kind = try scanner.peekKind()
        if kind == .null {
            try scanner.readNull()
            return .absent
        }
        let offset = scanner.offset
        func mismatch(_ expected: String) -> CaseReadError {
            CaseReadError(path: path.description, message: "expected \(expected), found \(CaseDecoder.describe(kind))", offset: offset)
        }
        switch type.base {
        case .string:
            guard kind == .string else { throw mismatch("a string") }
            return .string(try scanner.readString())
        case .bool:
            guard kind == .bool else { throw mismatch("true or false") }
            return .bool(try scanner.readBool())
        case .integer:
            guard kind == .number else { throw mismatch("an integer") }
            return .integer(try scanner.readInt())
        case .decimal:
            guard kind == .number else { throw mismatch("a number") }
            let d = try scanner.readDecimal()
            guard d.exponent <= 0, -d.exponent <= 18,
                  let value = Optional(DecimalNumber(significand: d.significand, scale: -d.exponent)) else {
                if d.exponent > 0, let n = DecimalNumber(String(d.significand) + String(repeating: "0", count: d.exponent)) { return .decimal(n) }
                throw CaseReadError(path: path.description, message: "number out of range", offset: offset)
            }
            return .decimal(value)
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
            guard kind == .string else { throw mismatch("one of \(e.cases.joined(separator: ", "))") }
            let text = try scanner.readStringBytes()
            if let index = text.withBytes({ bytes in e.cases.firstIndex { $0.utf8.elementsEqual(bytes) } }) {
                return .enumCase(index)
            }
            let shown = CaseDecoder.isCodeLike(text.string) ? "`\(text.string)`" : "value"
            let help = Suggestions.closest(to: text.string, among: e.cases).map { "; did you mean `\($0)`?" } ?? ""
            throw CaseReadError(path: path.description,
                                message: "unknown \(e.name) \(shown); expected one of \(e.cases.joined(separator: ", "))\(help)", offset: offset)
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
        case .set, .duration, .severity, .optional, .error:
            throw CaseReadError(path: path.description, message: "the schema gives this field a type cases cannot hold (`\(type)`)", offset: offset)
        }
    }

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
