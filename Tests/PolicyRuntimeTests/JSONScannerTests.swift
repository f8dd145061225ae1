import XCTest
@testable import PolicyRuntime

/// A seeded generator, so randomised tests check the same inputs on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class JSONScannerTests: XCTestCase {
    // MARK: Helpers

    /// The error `JSONValue.parse` gives for `bytes`, or nil when it parses.
    private func parseError(_ bytes: [UInt8]) -> JSONSyntaxError? {
        bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONSyntaxError) {
                _ = try JSONValue.parse(buffer)
                return nil
            } catch {
                return error
            }
        }
    }

    private func assertError(_ text: String, _ message: String, at offset: Int,
                             file: StaticString = #filePath, line: UInt = #line) {
        assertError(Array(text.utf8), message, at: offset, file: file, line: line)
    }

    private func assertError(_ bytes: [UInt8], _ message: String, at offset: Int,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard let error = parseError(bytes) else {
            return XCTFail("parsed without error: \(String(decoding: bytes, as: UTF8.self))", file: file, line: line)
        }
        XCTAssertEqual(error, JSONSyntaxError(message: message, offset: offset), file: file, line: line)
    }

    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            XCTFail("\(error) in \(text)", file: file, line: line)
            return .null
        }
    }

    /// Runs `body` on a scanner over `text` and returns its result or error.
    private func scan<R>(_ text: String, _ body: (inout JSONScanner) throws(JSONSyntaxError) -> R) -> Result<R, JSONSyntaxError> {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            do throws(JSONSyntaxError) {
                return .success(try body(&scanner))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The error a scanner gives running `body` over `text`, or nil.
    private func scanError(_ text: String, _ body: (inout JSONScanner) throws(JSONSyntaxError) -> Void) -> JSONSyntaxError? {
        if case .failure(let error) = scan(text, body) { return error }
        return nil
    }

    private func decimal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONDecimal {
        guard let value = JSONDecimal(jsonNumberText: text) else {
            XCTFail("not a decimal: \(text)", file: file, line: line)
            return JSONDecimal(0)
        }
        return value
    }

    // MARK: Error messages and offsets

    /// The word-at-a-time string scan jumps to the lowest marked byte, so that lane must be
    /// the first special byte exactly, whatever follows it.
    func testFirstSpecialByteOfAWordIsExact() {
        func isSpecial(_ b: UInt8) -> Bool { b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 }
        var generator = SplitMix64(seed: 20261123)   // fixed: the same words on every run
        let interesting: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA0, 0xC3, 0xFF, 0x61]
        for _ in 0..<200_000 {
            var bytes = [UInt8](repeating: 0, count: 8)
            for i in 0..<8 { bytes[i] = Bool.random(using: &generator) ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator) }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let marks = JSONScanner.specialBytes(word)
            if let first = bytes.firstIndex(where: isSpecial) {
                XCTAssertEqual(marks.trailingZeroBitCount >> 3, first, "\(bytes)")
            } else {
                XCTAssertEqual(marks, 0, "\(bytes)")
            }
        }
    }

    func testStructuralErrors() {
        assertError("", "empty input", at: 0)
        assertError("  \n\t", "empty input", at: 4)
        assertError(#"{"a":1 "b":2}"#, "expected ',' or '}' after an object member", at: 7)
        assertError("[1 2]", "expected ',' or ']' after an array element", at: 3)
        assertError(#"{"a" 1}"#, "expected ':' after an object key", at: 5)
        assertError("{1:2}", "expected a string key or '}', found '1'", at: 1)
        assertError(#"{"a":1,2:3}"#, "expected a string key, found '2'", at: 7)
        assertError("[1,]", "trailing comma before ']'", at: 3)
        assertError(#"{"a":1,}"#, "trailing comma before '}'", at: 7)
        assertError("[,1]", "expected a JSON value, found ','", at: 1)
        assertError("[x]", "expected a JSON value, found 'x'", at: 1)
        assertError("{} x", "trailing characters after the JSON value", at: 3)
        assertError("[1] [2]", "trailing characters after the JSON value", at: 4)
        assertError("[1,", "unexpected end of input", at: 3)
        assertError(#"{"a":"#, "unexpected end of input", at: 5)
        assertError(#"{"a""#, "unexpected end of input", at: 4)
        assertError("{", "unexpected end of input", at: 1)
        assertError("[true", "unexpected end of input", at: 5)
        assertError("[tru]", "expected 'true' or 'false', found 't'", at: 1)
        assertError("nul", "expected 'null', found 'n'", at: 0)
        assertError("True", "expected a JSON value, found 'T'", at: 0)
        assertError(#"{"a":1,"a":2}"#, "duplicate key 'a'", at: 7)
    }

    func testDuplicateKeysAreFoundAfterUnescapingAndInLargeObjects() {
        assertError(#"{"a":1,"\u0061":2}"#, "duplicate key 'a'", at: 7)
        // Past the linear-scan threshold the duplicate check switches to a set.
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        XCTAssertNotNil(try? JSONValue.parse("{\(members)}"))
        let text = "{\(members),\"k3\":0}"
        assertError(text, "duplicate key 'k3'", at: text.utf8.count - 7)
        // Same key in different objects is fine.
        XCTAssertNotNil(try? JSONValue.parse(#"[{"a":1},{"a":2},{"b":{"a":3}}]"#))
    }

    func testStringErrors() {
        assertError(#"["abc"#, "unterminated string", at: 1)
        assertError(#""abc\"#, "unterminated string", at: 4)
        assertError("[\"a\tb\"]", "control character in string", at: 3)
        assertError("\"line\nbreak\"", "control character in string", at: 5)
        assertError(#""\x""#, "invalid escape sequence in string", at: 1)
        assertError(#""\U0041""#, "invalid escape sequence in string", at: 1)
        assertError(#""\u12G4""#, "expected 4 hex digits after '\\u'", at: 1)
        assertError(#""\u12""#, "expected 4 hex digits after '\\u'", at: 1)
        assertError(#""\uD800""#, "unpaired surrogate in '\\u' escape", at: 1)
        assertError(#""ab\uDC00""#, "unpaired surrogate in '\\u' escape", at: 3)
        assertError(#""\uD800\u0041""#, "unpaired surrogate in '\\u' escape", at: 1)
        assertError(#""\uD800\uD800""#, "unpaired surrogate in '\\u' escape", at: 1)
        assertError(#""\uD800x""#, "unpaired surrogate in '\\u' escape", at: 1)
    }

    func testInvalidUTF8() {
        let quote = UInt8(ascii: "\"")
        assertError([quote, UInt8(ascii: "a"), 0xFF, quote], "invalid UTF-8", at: 2)
        assertError([quote, 0xC0, 0x80, quote], "invalid UTF-8", at: 1)              // overlong NUL
        assertError([quote, 0xE0, 0x80, 0xAF, quote], "invalid UTF-8", at: 1)        // overlong '/'
        assertError([quote, 0xED, 0xA0, 0x80, quote], "invalid UTF-8", at: 1)        // encoded surrogate
        assertError([quote, 0xF4, 0x90, 0x80, 0x80, quote], "invalid UTF-8", at: 1)  // above U+10FFFF
        assertError([quote, 0xC3, quote], "invalid UTF-8", at: 1)                    // truncated
        assertError([quote, 0xE2, 0x82], "invalid UTF-8", at: 1)                     // truncated at end
        assertError([quote, 0x80, quote], "invalid UTF-8", at: 1)                    // lone continuation
        // Valid multi-byte sequences of every length pass.
        let valid = Array("\"é € 😀 \u{10FFFF}\"".utf8)
        XCTAssertNil(parseError(valid))
    }

    func testNumberErrors() {
        assertError("01", "leading zero in number", at: 0)
        assertError("[-01]", "leading zero in number", at: 1)
        assertError("1.", "expected a digit after '.'", at: 2)
        assertError("[1.e5]", "expected a digit after '.'", at: 3)
        assertError("1e", "expected a digit in the exponent", at: 2)
        assertError("1E+", "expected a digit in the exponent", at: 3)
        assertError("-", "expected a digit after '-'", at: 1)
        assertError("-a", "expected a digit after '-'", at: 1)
        assertError(".5", "expected a JSON value, found '.'", at: 0)
        assertError("+1", "expected a JSON value, found '+'", at: 0)
        assertError("[1,-]", "expected a digit after '-'", at: 4)
    }

    func testNumberOutOfRangeForReadInt() {
        XCTAssertEqual(scan("9223372036854775807") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() }, .success(Int.max))
        XCTAssertEqual(scan("-9223372036854775808") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() }, .success(Int.min))
        XCTAssertEqual(scan("9223372036854775808") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() },
                       .failure(JSONSyntaxError(message: "number out of range", offset: 0)))
        XCTAssertEqual(scan("  -9223372036854775809") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() },
                       .failure(JSONSyntaxError(message: "number out of range", offset: 2)))
        XCTAssertEqual(scan("123456789012345678901234567890") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() },
                       .failure(JSONSyntaxError(message: "number out of range", offset: 0)))
        // The same text is still a valid JSON number for the tree, which keeps it exactly.
        XCTAssertEqual(parse("123456789012345678901234567890"), .number("123456789012345678901234567890"))
    }

    func testReadIntRejectsNonIntegers() {
        for text in ["1.0", "1e2", "1E+2", "-0.0"] {
            XCTAssertEqual(scan(text) { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() },
                           .failure(JSONSyntaxError(message: "expected an integer", offset: 0)), text)
        }
        XCTAssertEqual(scan(#" "5""#) { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() },
                       .failure(JSONSyntaxError(message: "expected an integer, found '\"'", offset: 1)))
        XCTAssertEqual(scan("-0") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readInt() }, .success(0))
        XCTAssertEqual(scan(" 42 ") { (s: inout JSONScanner) throws(JSONSyntaxError) in let n = try s.readInt(); try s.expectEnd(); return n }, .success(42))
    }

    func testValidNumbers() {
        for text in ["0", "-0", "1e5", "1E+2", "1e-2", "0.5", "-12.75e+10", "10", "0e0", "123456789"] {
            XCTAssertEqual(parse(text), .number(text), text)
            XCTAssertEqual(scan(text) { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readNumberText() }, .success(0..<text.utf8.count), text)
        }
        XCTAssertEqual(parse("[ -0 , 1e5 ]"), .array([.number("-0"), .number("1e5")]))
    }

    // MARK: Nesting

    func testNestingLimit() {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        XCTAssertNil(parseError(Array(ok.utf8)))
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        assertError(tooDeep, "nesting deeper than 512 levels", at: 512)
        let objects = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        assertError(objects, "nesting deeper than 512 levels", at: 512 * 5)
    }

    func testHundredThousandOpenBracketsGiveTheNestingError() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        XCTAssertEqual(parseError(bytes), JSONSyntaxError(message: "nesting deeper than 512 levels", offset: 512))
        let skipped: JSONSyntaxError? = bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            do throws(JSONSyntaxError) { try scanner.skipValue(); return nil } catch { return error }
        }
        XCTAssertEqual(skipped, JSONSyntaxError(message: "nesting deeper than 512 levels", offset: 512))
        let mixed = Array(String(repeating: #"{"k":["#, count: 50_000).utf8)
        XCTAssertEqual(parseError(mixed)?.message, "nesting deeper than 512 levels")
    }

    func testCustomDepthAndSkipValueBeyond64Levels() {
        // skipValue keeps its container kinds in a bit stack that spills to the heap after 64.
        let deep = String(repeating: #"{"a":["#, count: 100) + "1" + String(repeating: "]}", count: 100)
        XCTAssertEqual(scan(deep) { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.skipValue(); try s.expectEnd(); return s.depth }, .success(0))
        let mismatched = String(repeating: #"{"a":["#, count: 100) + "1" + String(repeating: "]}", count: 99) + "}}"
        XCTAssertEqual(scanError(mismatched) { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.skipValue() },
                       JSONSyntaxError(message: "expected ',' or ']' after an array element", offset: mismatched.utf8.count - 2))
        let shallow = Array("[[[1]]]".utf8)
        let error: JSONSyntaxError? = shallow.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, maxDepth: 2)
            do throws(JSONSyntaxError) { try scanner.skipValue(); return nil } catch { return error }
        }
        XCTAssertEqual(error, JSONSyntaxError(message: "nesting deeper than 2 levels", offset: 2))
    }

    // MARK: Strings

    func testEscapes() {
        XCTAssertEqual(parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#), .string("a\"b\\c/d\u{08}e\u{0C}f\ng\rh\ti"))
        XCTAssertEqual(parse(#""\u00e9\u00C9\u20AC""#), .string("éÉ€"))
        XCTAssertEqual(parse(#""\uD83D\uDE00!""#), .string("😀!"))
        XCTAssertEqual(parse(#""\udbff\udfff""#), .string("\u{10FFFF}"))
        XCTAssertEqual(parse(#""nul\u0000byte""#), .string("nul\u{0}byte"))
        XCTAssertEqual(parse(#""Müller""#), .string("Müller"))
        XCTAssertEqual(parse(#""""#), .string(""))
    }

    func testReadStringBytesAvoidsCopyingPlainStrings() {
        let result = scan(#"["2025-03-01", "a\nb", "SGB2"]"#) { (s: inout JSONScanner) throws(JSONSyntaxError) -> [String] in
            try s.beginArray()
            var out: [String] = []
            XCTAssertTrue(try s.nextElement())
            let plain = try s.readStringBytes()
            XCTAssertFalse(plain.hadEscapes)
            XCTAssertEqual(plain.offset, 1)
            XCTAssertEqual(plain.count, 10)
            XCTAssertTrue(plain.equals("2025-03-01" as StaticString))
            out.append(plain.string)
            XCTAssertTrue(try s.nextElement())
            let escaped = try s.readStringBytes()
            XCTAssertTrue(escaped.hadEscapes)
            XCTAssertEqual(escaped.count, 3)
            XCTAssertTrue(escaped.equals(Array("a\nb".utf8)))
            out.append(escaped.string)
            XCTAssertTrue(try s.nextElement())
            try s.skipString()
            XCTAssertFalse(try s.nextElement())
            try s.expectEnd()
            return out
        }
        XCTAssertEqual(result, .success(["2025-03-01", "a\nb"]))
    }

    // MARK: Streaming API

    func testWalkingAnObjectWithoutATree() {
        let text = """
        {"id": "H-0001", "alter": 24, "arbeitslos": true, "ende": null,
         "unbekannt": {"x": [1, {"y": "z"}, []], "w": {}},
         "kontakte": [{"datum": "2025-01-10"}, {"datum": "2025-02-01"}]}
        """
        struct Case: Equatable {
            var id = ""
            var age = 0
            var unemployed: Bool?
            var dates: [String] = []
        }
        let result = scan(text) { (s: inout JSONScanner) throws(JSONSyntaxError) -> Case in
            var value = Case()
            try s.beginObject()
            XCTAssertEqual(s.depth, 1)
            while let key = try s.nextKey() {
                switch key {
                case "id": value.id = try s.readString()
                case "alter": value.age = try s.readInt()
                case "arbeitslos": value.unemployed = try s.readBool()
                case "ende":
                    XCTAssertEqual(try s.peekKind(), .null)
                    try s.readNull()
                case "kontakte":
                    try s.beginArray()
                    while try s.nextElement() {
                        try s.beginObject()
                        while let inner = try s.nextKey() {
                            if inner == "datum" { value.dates.append(try s.readString()) } else { try s.skipValue() }
                        }
                    }
                default:
                    try s.skipValue()
                }
            }
            try s.expectEnd()
            XCTAssertEqual(s.depth, 0)
            return value
        }
        XCTAssertEqual(result, .success(Case(id: "H-0001", age: 24, unemployed: true, dates: ["2025-01-10", "2025-02-01"])))
    }

    func testPeekKindAndExpect() {
        let kinds = scan(#" [ {}, [], "s", -1, true, false, null ] "#) { (s: inout JSONScanner) throws(JSONSyntaxError) -> [JSONScanner.Kind] in
            var kinds: [JSONScanner.Kind] = []
            try s.expect(UInt8(ascii: "["), "'['")
            s.skipWhitespace()
            XCTAssertEqual(s.peek(), UInt8(ascii: "{"))
            while true {
                kinds.append(try s.peekKind())
                try s.skipValue()
                s.skipWhitespace()
                if s.peek() == UInt8(ascii: "]") { break }
                try s.expect(UInt8(ascii: ","), "','")
            }
            return kinds
        }
        XCTAssertEqual(kinds, .success([.object, .array, .string, .number, .bool, .bool, .null]))
        XCTAssertEqual(scanError("[1;") { (s: inout JSONScanner) throws(JSONSyntaxError) in
            try s.expect(UInt8(ascii: "["), "'['"); _ = try s.readInt(); try s.expect(UInt8(ascii: ","), "','")
        }, JSONSyntaxError(message: "expected ','", offset: 2))
    }

    func testSkipValueValidates() {
        for (text, message, offset) in [
            (#"{"a": [1, 2,]}"#, "trailing comma before ']'", 12),
            (#"{"a": "\q"}"#, "invalid escape sequence in string", 7),
            (#"[{"a" 1}]"#, "expected ':' after an object key", 6),
            ("[01]", "leading zero in number", 1),
        ] {
            XCTAssertEqual(scanError(text) { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.skipValue() },
                           JSONSyntaxError(message: message, offset: offset), text)
        }
    }

    func testByteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a": x}"#.utf8)
        // Strict parsing names the BOM …
        XCTAssertEqual(parseError(bytes), JSONSyntaxError(message: "expected a JSON value, found a byte order mark", offset: 0))
        // … and `skippingBOM` accepts it while keeping offsets relative to the whole input.
        let error: JSONSyntaxError? = bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner.skippingBOM(buffer)
            XCTAssertEqual(scanner.offset, 3)
            do throws(JSONSyntaxError) { _ = try JSONValue.parseValue(&scanner); return nil } catch { return error }
        }
        XCTAssertEqual(error, JSONSyntaxError(message: "expected a JSON value, found 'x'", offset: 9))
        let plain = Array("[]".utf8)
        plain.withUnsafeBufferPointer { XCTAssertEqual(JSONScanner.skippingBOM($0).offset, 0) }
    }

    func testLineAndColumn() {
        let bytes = Array("{\n  \"name\": \"Müller\",\n  \"x\": ?\n}".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            XCTAssertTrue(JSONScanner.lineAndColumn(of: 0, in: buffer) == (1, 1))
            XCTAssertTrue(JSONScanner.lineAndColumn(of: 1, in: buffer) == (1, 2))
            XCTAssertTrue(JSONScanner.lineAndColumn(of: 2, in: buffer) == (2, 1))
            let question = buffer.firstIndex(of: UInt8(ascii: "?"))!
            XCTAssertTrue(JSONScanner.lineAndColumn(of: question, in: buffer) == (3, 8))
            // The comma after "Müller": ü is two bytes but one column.
            let comma = buffer.firstIndex(of: UInt8(ascii: ","))!
            XCTAssertTrue(JSONScanner.lineAndColumn(of: comma, in: buffer) == (2, 19))
            XCTAssertTrue(JSONScanner.lineAndColumn(of: buffer.count, in: buffer) == (4, 2))
        }
        let error = parseError(bytes)
        XCTAssertEqual(error?.message, "expected a JSON value, found '?'")
    }

    // MARK: JSONValue

    func testTreeAndSubscript() {
        let value = parse(#"{"b": [1, "x", null, false], "a": {"c": 2.5}}"#)
        XCTAssertEqual(value["b"], .array([.number("1"), .string("x"), .null, .bool(false)]))
        XCTAssertEqual(value["a"]?["c"]?.decimalValue, decimal("2.5"))
        XCTAssertNil(value["z"])
        XCTAssertNil(JSONValue.string("s")["a"])
        XCTAssertEqual(value["b"]?.arrayValue?.count, 4)
        XCTAssertEqual(value["b"]?.arrayValue?[1].stringValue, "x")
        XCTAssertEqual(value["b"]?.arrayValue?[3].boolValue, false)
        // Member order is kept and is part of equality.
        guard case .object(let members) = value else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.0), ["b", "a"])
        XCTAssertNotEqual(parse(#"{"a":1,"b":2}"#), parse(#"{"b":2,"a":1}"#))
        XCTAssertEqual(parse(#"{"a":1,"b":2}"#), parse(#" { "a" : 1 , "b" : 2 } "#))
    }

    // MARK: JSONDecimal

    func testDecimalArithmeticIsExact() {
        XCTAssertEqual(decimal("0.75") * 75, decimal("56.25"))
        XCTAssertEqual((decimal("0.75") * 75).description, "56.25")
        XCTAssertEqual(decimal("0.1") * 75, decimal("7.5"))
        XCTAssertEqual(75 * decimal("0.1"), decimal("7.50"))
        XCTAssertEqual(decimal("0.5") * 75, decimal("37.5"))
        XCTAssertTrue(decimal("1.0") * 75 == 75)
        XCTAssertTrue(decimal("0.2") * 5 == 1)
        XCTAssertNil(decimal("9223372036854775807").multiplied(by: 2))
        // The ratio check of the caseload rules: 57 cases exceed 56.25, 56 do not.
        let limit = decimal("0.75") * 75
        XCTAssertTrue(57 > limit)
        XCTAssertFalse(56 > limit)
        XCTAssertTrue(limit > 56)
        XCTAssertTrue(limit < 57)
        XCTAssertTrue(limit <= 57 && limit >= 56)
        XCTAssertFalse(limit == 56)
        XCTAssertTrue(7 < decimal("7.5") && 8 >= decimal("7.5") && 7 <= decimal("7"))
    }

    func testDecimalParsingAndNormalisation() {
        XCTAssertEqual(decimal("1.0"), decimal("1"))
        XCTAssertEqual(decimal("1.0").hashValue, decimal("1").hashValue)
        XCTAssertEqual(decimal("100"), JSONDecimal(significand: 1, exponent: 2))
        XCTAssertEqual(decimal("-0"), decimal("0"))
        XCTAssertTrue(decimal("0.000") == 0)
        XCTAssertEqual(decimal("1.500000000000000000000000000"), decimal("1.5"))
        XCTAssertTrue(decimal("1E+2") == 100)
        XCTAssertEqual(decimal("12.5e-1"), decimal("1.25"))
        XCTAssertEqual(decimal("0.001").significand, 1)
        XCTAssertEqual(decimal("0.001").exponent, -3)
        XCTAssertEqual(decimal("9223372036854775807").significand, Int64.max)
        XCTAssertNil(JSONDecimal(jsonNumberText: "1e999"))
        XCTAssertNil(JSONDecimal(jsonNumberText: "12345678901234567891"))
        XCTAssertNil(JSONDecimal(jsonNumberText: "0.12345678901234567891"))
        for invalid in ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1.2.3", "0x10", " 1", "1 "] {
            XCTAssertNil(JSONDecimal(jsonNumberText: invalid), invalid)
        }
        XCTAssertEqual(scan("1e999") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readDecimal() },
                       .failure(JSONSyntaxError(message: "number out of range", offset: 0)))
        XCTAssertEqual(scan(" 0.75") { (s: inout JSONScanner) throws(JSONSyntaxError) in try s.readDecimal() }, .success(decimal("0.75")))
    }

    func testDecimalOrdering() {
        let ascending = ["-1e20", "-100", "-7.5", "-0.001", "0", "1e-300", "0.1", "0.75", "1", "7.49999", "7.5",
                         "9.223372036854775807", "10", "56.25", "9223372036854775807", "1e20", "1.5e20"]
        let values = ascending.map { decimal($0) }
        for i in values.indices {
            for j in values.indices {
                XCTAssertEqual(values[i] < values[j], i < j, "\(ascending[i]) < \(ascending[j])")
            }
        }
        XCTAssertTrue(decimal("1e20") > Int.max)
        XCTAssertTrue(decimal("-1e20") < Int.min)
    }

    func testDecimalDescription() {
        for (text, expected) in [("56.25", "56.25"), ("7.50", "7.5"), ("75", "75"), ("-0.5", "-0.5"),
                                 ("100", "100"), ("0.001", "0.001"), ("1e40", "1e40"), ("1.5e-40", "1.5e-40"),
                                 ("-0", "0"), ("1E+2", "100"), ("123.456e1", "1234.56")] {
            XCTAssertEqual(decimal(text).description, expected, text)
            XCTAssertEqual(JSONDecimal(jsonNumberText: expected), decimal(text), "description must read back: \(text)")
        }
        XCTAssertEqual(decimal("0.5").doubleValue, 0.5)
    }

    // MARK: Writer

    func testQuoteEscaping() {
        XCTAssertEqual(JSONWriter.quoted("plain"), #""plain""#)
        XCTAssertEqual(JSONWriter.quoted("a\"b\\c"), #""a\"b\\c""#)
        XCTAssertEqual(JSONWriter.quoted("l1\nl2\tx\r\u{08}\u{0C}"), #""l1\nl2\tx\r\b\f""#)
        XCTAssertEqual(JSONWriter.quoted("\u{0}\u{1}\u{1F}"), #""\u0000\u0001\u001f""#)
        XCTAssertEqual(JSONWriter.quoted("Fortführung € 😀 /"), "\"Fortführung € 😀 /\"")
        var out = "x="
        JSONWriter.quote("ä\"", into: &out)
        XCTAssertEqual(out, #"x="ä\"""#)
    }

    func testCompact() {
        let value = parse(#" { "case" : "H-1", "n": [1, 2.50, -0], "o": {}, "a": [], "f": [ {"x": null, "t": true} ] } "#)
        XCTAssertEqual(JSONWriter.compact(value), #"{"case":"H-1","n":[1,2.50,-0],"o":{},"a":[],"f":[{"x":null,"t":true}]}"#)
        XCTAssertEqual(JSONWriter.compact(.string("a\nb")), #""a\nb""#)
    }

    func testPrettyLayout() {
        let value = parse("""
        {"case": "H-0001", "stichtag": "2025-03-01", "tags": ["a", 1, null],
         "findings": [{"rule": "fortfuehrung.pruefung", "due": "2025-02-15"}, {"rule": "x", "nested": [[1], []]}],
         "empty": [], "none": {}}
        """)
        let expected = """
        {
          "case": "H-0001",
          "stichtag": "2025-03-01",
          "tags": ["a", 1, null],
          "findings": [
            {
              "rule": "fortfuehrung.pruefung",
              "due": "2025-02-15"
            },
            {
              "rule": "x",
              "nested": [
                [1],
                []
              ]
            }
          ],
          "empty": [],
          "none": {}
        }
        """
        XCTAssertEqual(JSONWriter.pretty(value), expected)
        XCTAssertEqual(JSONWriter.pretty(parse(#"{"a":{"b":1}}"#), indent: 4), "{\n    \"a\": {\n        \"b\": 1\n    }\n}")
        XCTAssertEqual(JSONWriter.pretty(.number("3")), "3")
        XCTAssertEqual(JSONWriter.pretty(.array([])), "[]")
    }

    func testRoundTrip() {
        let text = #"""
        {"id": "H-\u00dc\"1\"", "n": [0, -0, 1e5, 1E+2, 0.75, 123456789012345678901234567890],
         "s": "tab\there\u0001\uD83D\uDE00", "deep": [[[{"a": [true, false, null]}]]], "e": {}, "l": []}
        """#
        let value = parse(text)
        XCTAssertEqual(parse(JSONWriter.pretty(value)), value)
        XCTAssertEqual(parse(JSONWriter.pretty(value, indent: 0)), value)
        XCTAssertEqual(parse(JSONWriter.compact(value)), value)
        XCTAssertEqual(JSONWriter.compact(parse(JSONWriter.pretty(value))), JSONWriter.compact(value))
    }

    func testErrorDescription() {
        XCTAssertEqual(JSONSyntaxError(message: "empty input", offset: 0).description, "empty input (at byte 0)")
    }
}
