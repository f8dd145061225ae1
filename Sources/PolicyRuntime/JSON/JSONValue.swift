/// A JSON document as a tree, for the places that want one (tests, staff files, output).
/// Case data is decoded straight from `JSONScanner` instead.
///
/// Numbers keep their exact text, so nothing is lost to binary floating point; convert with
/// `JSONDecimal(jsonNumberText:)` or `Int(_:)` where a rule needs the value. Objects keep
/// their members in document order.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's exact text, as it appeared (`"1.0"` and `"1"` are different values).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in order; `parse` guarantees the keys are distinct.
    case object([(String, JSONValue)])

    /// Parses one whole document (whitespace around it allowed). Rejects a repeated key
    /// within an object with "duplicate key 'x'" and a byte order mark like any other stray
    /// byte; use `JSONScanner.skippingBOM` with `parseValue(_:)` to accept one.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        if scanner.peek() == nil { throw JSONSyntaxError(message: "empty input", offset: scanner.offset) }
        let value = try parseValue(&scanner)
        try scanner.expectEnd()
        return value
    }

    /// Parses one whole document from text; see `parse(_:)` for bytes.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        // `withUTF8` only rethrows untyped errors, so carry the result out instead.
        var result: Result<JSONValue, JSONSyntaxError>!
        text.withUTF8 { bytes in
            do throws(JSONSyntaxError) { result = .success(try parse(bytes)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Reads the value at the scanner's position and leaves the scanner after it.
    ///
    /// Iterative: open containers live on an explicit stack, so depth is bounded by the
    /// scanner's `maxDepth` and not by the call stack.
    public static func parseValue(_ scanner: inout JSONScanner) throws(JSONSyntaxError) -> JSONValue {
        var stack: [Frame] = []
        while true {
            var value: JSONValue
            switch try scanner.peekKind() {
            case .object:
                try scanner.beginObject()
                if let key = try scanner.nextKey() {
                    stack.append(Frame(isObject: true, pendingKey: key.string))
                    continue
                }
                value = .object([])
            case .array:
                try scanner.beginArray()
                if try scanner.nextElement() {
                    stack.append(Frame(isObject: false))
                    continue
                }
                value = .array([])
            case .string:
                value = .string(try scanner.readString())
            case .number:
                let range = try scanner.readNumberText()
                value = .number(String(decoding: UnsafeBufferPointer(rebasing: scanner.bytes[range]), as: UTF8.self))
            case .bool:
                value = .bool(try scanner.readBool())
            case .null:
                try scanner.readNull()
                value = .null
            }
            // Hand the finished value to its container; containers that end are finished too.
            while let top = stack.indices.last {
                if stack[top].isObject {
                    stack[top].members.append((stack[top].pendingKey, value))
                    if let key = try scanner.nextKey() {
                        let name = key.string
                        if stack[top].contains(name) {
                            throw JSONSyntaxError(message: "duplicate key '\(name)'", offset: key.offset)
                        }
                        stack[top].pendingKey = name
                        break
                    }
                    value = .object(stack.removeLast().members)
                } else {
                    stack[top].elements.append(value)
                    if try scanner.nextElement() { break }
                    value = .array(stack.removeLast().elements)
                }
            }
            if stack.isEmpty { return value }
        }
    }

    /// The value of member `key` when this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The boolean, when this is one.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The exact decimal, when this is a number `JSONDecimal` can hold.
    public var decimalValue: JSONDecimal? {
        if case .number(let text) = self { return JSONDecimal(jsonNumberText: text) }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Structural equality; objects are equal when they have the same members in the same
    /// order, numbers when their texts are equal.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// A container being filled by `parseValue`.
    private struct Frame {
        var isObject: Bool
        var pendingKey = ""
        var elements: [JSONValue] = []
        var members: [(String, JSONValue)] = []
        /// Built only for large objects, where a linear duplicate check would be quadratic.
        var keySet: Set<String> = []

        init(isObject: Bool, pendingKey: String = "") {
            self.isObject = isObject
            self.pendingKey = pendingKey
        }

        /// Whether `key` is already a member (checked before `pendingKey` is replaced).
        mutating func contains(_ key: String) -> Bool {
            if members.count <= 16 {
                return members.contains { $0.0 == key }
            }
            if keySet.isEmpty { keySet = Set(members.lazy.map(\.0)) } else { keySet.insert(members[members.count - 1].0) }
            return keySet.contains(key)
        }
    }
}

/// An exact decimal number, `significand × 10^exponent`, for JSON numbers that rules compute
/// with: `75 × 0.75` must be exactly `56.25`, which binary floating point does not promise.
///
/// The representation is normalised (no trailing zeros in the significand, zero has exponent
/// 0), so equal values are equal structs and hash alike.
public struct JSONDecimal: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The digits, without trailing zeros (0 for zero).
    public let significand: Int64
    /// The power of ten the significand is scaled by (0 for zero).
    public let exponent: Int

    /// Exponents beyond this are not data a policy deals with; rejecting them keeps every
    /// comparison in plain integer arithmetic.
    public static let exponentRange = -308...308

    /// `significand × 10^exponent`, normalised; nil when the exponent falls outside
    /// `exponentRange` after normalising.
    public init?(significand: Int64, exponent: Int) {
        var significand = significand
        var exponent = exponent
        if significand == 0 {
            exponent = 0
        } else {
            while significand % 10 == 0 {
                significand /= 10
                exponent += 1
            }
        }
        guard JSONDecimal.exponentRange.contains(exponent) else { return nil }
        self.significand = significand
        self.exponent = exponent
    }

    /// The integer `value` exactly.
    public init(_ value: Int) {
        self.init(significand: Int64(value), exponent: 0)!
    }

    /// Parses JSON number text exactly; nil when it is not a JSON number or cannot be held
    /// exactly (more significant digits than fit in `Int64`, or an exponent outside
    /// `exponentRange`, as in `1e999`).
    public init?(jsonNumberText text: String) {
        var text = text
        guard let value = text.withUTF8({ JSONDecimal(jsonNumberBytes: $0) }) else { return nil }
        self = value
    }

    /// Parses JSON number bytes exactly, with the rules of `init?(jsonNumberText:)`.
    public init?(jsonNumberBytes bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = bytes.count
        let negative = count > 0 && bytes[0] == UInt8(ascii: "-")
        if negative { index += 1 }
        var magnitude: UInt64 = 0
        // Zeros after a nonzero digit are held back until another nonzero digit follows,
        // so trailing zeros ("1.500000000000000000000") never overflow the significand.
        var heldZeros = 0
        var fractionDigits = 0
        var sawDigit = false
        var inFraction = false
        var exponent = 0
        func appendDigit(_ digit: UInt64) -> Bool {
            if digit == 0 {
                if magnitude != 0 { heldZeros += 1 }
                return true
            }
            for _ in 0..<heldZeros {
                let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                if overflow { return false }
                magnitude = shifted
            }
            heldZeros = 0
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return false }
            magnitude = sum
            return true
        }
        // Grammar, as in RFC 8259: int [frac] [exp].
        guard index < count, JSONScanner.isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < count, JSONScanner.isDigit(bytes[index + 1]) { return nil }
        while index < count {
            let byte = bytes[index]
            if JSONScanner.isDigit(byte) {
                guard appendDigit(UInt64(byte - UInt8(ascii: "0"))) else { return nil }
                sawDigit = true
                if inFraction { fractionDigits += 1 }
                index += 1
            } else if byte == UInt8(ascii: "."), !inFraction {
                inFraction = true
                index += 1
                guard index < count, JSONScanner.isDigit(bytes[index]) else { return nil }
            } else {
                break
            }
        }
        guard sawDigit else { return nil }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < count, JSONScanner.isDigit(bytes[index]) else { return nil }
            while index < count, JSONScanner.isDigit(bytes[index]) {
                // Saturate: anything this large is out of range anyway.
                exponent = min(exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1_000_000)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard index == count, magnitude <= UInt64(Int64.max) else { return nil }
        let signed = negative ? -Int64(magnitude) : Int64(magnitude)
        self.init(significand: signed, exponent: exponent - fractionDigits + heldZeros)
    }

    /// `self × factor`, or nil when the significand would overflow.
    public func multiplied(by factor: Int) -> JSONDecimal? {
        let (product, overflow) = significand.multipliedReportingOverflow(by: Int64(factor))
        guard !overflow else { return nil }
        return JSONDecimal(significand: product, exponent: exponent)
    }

    /// `lhs × rhs`; traps on overflow (use `multiplied(by:)` to handle it).
    public static func * (lhs: JSONDecimal, rhs: Int) -> JSONDecimal {
        guard let product = lhs.multiplied(by: rhs) else { preconditionFailure("JSONDecimal overflow in \(lhs) * \(rhs)") }
        return product
    }

    /// `lhs × rhs`; traps on overflow.
    public static func * (lhs: Int, rhs: JSONDecimal) -> JSONDecimal {
        rhs * lhs
    }

    /// The nearest `Double`, for display or statistics; not for rule decisions.
    public var doubleValue: Double {
        Double(description) ?? .nan
    }

    public static func < (lhs: JSONDecimal, rhs: JSONDecimal) -> Bool {
        if lhs.significand.signum() != rhs.significand.signum() {
            return lhs.significand.signum() < rhs.significand.signum()
        }
        if lhs.significand == 0 { return false }
        let magnitudeLess = JSONDecimal.magnitudeLess(lhs, rhs)
        let magnitudeGreater = JSONDecimal.magnitudeLess(rhs, lhs)
        return lhs.significand > 0 ? magnitudeLess : magnitudeGreater
    }

    /// Compares |a| < |b| for nonzero a, b without scaling past `UInt64`: first by order of
    /// magnitude, then by the digits aligned to the same length (at most 19 digits).
    private static func magnitudeLess(_ a: JSONDecimal, _ b: JSONDecimal) -> Bool {
        let digitsA = digitCount(a.significand.magnitude)
        let digitsB = digitCount(b.significand.magnitude)
        let orderA = digitsA + a.exponent
        let orderB = digitsB + b.exponent
        if orderA != orderB { return orderA < orderB }
        var magnitudeA = a.significand.magnitude
        var magnitudeB = b.significand.magnitude
        for _ in digitsA..<max(digitsA, digitsB) { magnitudeA *= 10 }
        for _ in digitsB..<max(digitsA, digitsB) { magnitudeB *= 10 }
        return magnitudeA < magnitudeB
    }

    private static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    public static func == (lhs: JSONDecimal, rhs: Int) -> Bool { lhs == JSONDecimal(rhs) }
    public static func == (lhs: Int, rhs: JSONDecimal) -> Bool { JSONDecimal(lhs) == rhs }
    public static func < (lhs: JSONDecimal, rhs: Int) -> Bool { lhs < JSONDecimal(rhs) }
    public static func < (lhs: Int, rhs: JSONDecimal) -> Bool { JSONDecimal(lhs) < rhs }
    public static func <= (lhs: JSONDecimal, rhs: Int) -> Bool { !(JSONDecimal(rhs) < lhs) }
    public static func <= (lhs: Int, rhs: JSONDecimal) -> Bool { !(rhs < JSONDecimal(lhs)) }
    public static func > (lhs: JSONDecimal, rhs: Int) -> Bool { JSONDecimal(rhs) < lhs }
    public static func > (lhs: Int, rhs: JSONDecimal) -> Bool { rhs < JSONDecimal(lhs) }
    public static func >= (lhs: JSONDecimal, rhs: Int) -> Bool { !(lhs < JSONDecimal(rhs)) }
    public static func >= (lhs: Int, rhs: JSONDecimal) -> Bool { !(JSONDecimal(lhs) < rhs) }

    /// Plain decimal notation without trailing zeros (`56.25`, `75`, `-0.5`); scientific
    /// (`1e40`, `1.5e-40`) only when plain notation would need more than 21 zeros. Always
    /// valid JSON number text.
    public var description: String {
        let digits = String(significand.magnitude)
        let sign = significand < 0 ? "-" : ""
        if exponent >= 0 {
            if exponent <= 21 { return sign + digits + String(repeating: "0", count: exponent) }
            return sign + scientific(digits)
        }
        let fractionLength = -exponent
        if fractionLength < digits.count {
            let split = digits.index(digits.endIndex, offsetBy: -fractionLength)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let leadingZeros = fractionLength - digits.count
        if leadingZeros <= 21 { return sign + "0." + String(repeating: "0", count: leadingZeros) + digits }
        return sign + scientific(digits)
    }

    private func scientific(_ digits: String) -> String {
        let adjusted = exponent + digits.count - 1
        let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
        return mantissa + "e" + String(adjusted)
    }
}
