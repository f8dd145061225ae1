@testable import PolicyRuntime
import XCTest

/// The piecewise pretty writer behind `JSONWriter.pretty` and the JSON report.
final class PrettyJSONWriterTests: XCTestCase {
    func testWritingPieceByPieceLaysOutAsPrettyLaysOutTheValue() throws {
        var json = PrettyJSONWriter()
        json.beginObject()
        json.key("empty list"); json.beginArray(); json.endArray()
        json.key("empty object"); json.beginObject(); json.endObject()
        json.key("rows")
        json.beginArray()
        for n in [3, -40] {
            json.element()
            json.beginObject()
            json.member(PrettyJSONWriter.Key("n"), n)
            json.member(PrettyJSONWriter.Key("name \"q\""), "x\ny")
            json.member(PrettyJSONWriter.Key("over"), n > 0)
            json.endObject()
        }
        json.endArray()
        json.member("none", nil as Int?)
        json.member("ratio", number: "37.5")
        json.key("tags"); json.write(.array([.string("a"), .number("1"), .null]))
        json.endObject()
        let value = try JSONValue.parse(json.text)
        XCTAssertEqual(json.text, JSONWriter.pretty(value))
        XCTAssertEqual(value["rows"]?.arrayValue?[1]["n"], .number("-40"))
    }

    func testIntegersAsSwiftWritesThem() {
        for n in [0, 7, 10, -1, -10, 1_234_567, Int.max, Int.min] {
            var json = PrettyJSONWriter()
            json.write(n)
            XCTAssertEqual(json.text, String(n))
        }
    }

    /// The text is made in pieces of 16 KiB; a piece must not end inside a character.
    func testCharactersAcrossPiecesStayWhole() {
        for lead in 0..<4 {
            let text = String(repeating: "a", count: lead) + String(repeating: "€ä😀", count: 3_000)
            XCTAssertEqual(JSONWriter.pretty(.array([.string(text), .string(text)])), "[\"\(text)\", \"\(text)\"]")
        }
    }
}
