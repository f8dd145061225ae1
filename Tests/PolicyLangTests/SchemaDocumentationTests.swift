@testable import PolicyLang
import XCTest

/// A schema field's documentation is the text of the comments before it, one per line
/// (shown by hover and by `fmpolicy doc`).
final class SchemaDocumentationTests: XCTestCase {
    func testFieldDocumentationIsItsCommentsOnePerLine() throws {
        let source = SourceFile(path: "case.fm", text: """
        schema s
          root R

        record R
          # Erste Zeile,
          #   zweite Zeile  
          a: string required
          b: integer required
          # nur eine
          c: date required

        """)
        var builder = SchemaBuilder()
        let schema = try XCTUnwrap(builder.build(Parser.parse(source).tree), DiagnosticRenderer().render(builder.diagnostics))
        XCTAssertEqual(schema.root.fields.map(\.documentation), ["Erste Zeile,\nzweite Zeile", "", "nur eine"])
    }
}
