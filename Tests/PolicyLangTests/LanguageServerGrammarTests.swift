import Foundation
import PolicyLang
import XCTest

/// The TextMate grammar in `editors/` (highlighting in VS Code and other editors) and the
/// VS Code extension that registers it and starts `fmpolicy lsp`.
final class LanguageServerGrammarTests: XCTestCase {
    static let editors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("editors")

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.editors.appendingPathComponent(path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], path)
    }

    /// Every keyword of every keyword set is highlighted by that language's keyword patterns.
    func testTheGrammarListsEveryKeywordOfEveryLanguage() throws {
        let grammar = try json("fmpolicy.tmLanguage.json")
        XCTAssertEqual(grammar["scopeName"] as? String, "source.fmpolicy")
        let repository = try XCTUnwrap(grammar["repository"] as? [String: Any])
        for set in KeywordSet.all {
            let group = try XCTUnwrap(repository["\(set.language)-keywords"] as? [String: Any], "no keyword patterns for `\(set.language)`")
            let patterns = try (group["patterns"] as? [[String: Any]] ?? []).map { p -> (String, NSRegularExpression) in
                let match = try XCTUnwrap(p["match"] as? String)
                return (p["name"] as? String ?? "", try NSRegularExpression(pattern: match))
            }
            for keyword in Keyword.allCases {
                let word = set.spelling(keyword)
                let hit = patterns.first { _, regex in
                    regex.firstMatch(in: word, range: NSRange(location: 0, length: (word as NSString).length))?.range.length == (word as NSString).length
                }
                XCTAssertNotNil(hit, "`\(word)` (\(set.language), `\(keyword)`) is not highlighted as a keyword")
                // As a whole word only: not inside a longer name.
                if let (_, regex) = hit {
                    XCTAssertNil(regex.firstMatch(in: word + "x", range: NSRange(location: 0, length: (word as NSString).length + 1)), word)
                }
            }
        }
    }

    /// Every regular expression of the grammar compiles, and the shape is what editors expect.
    func testTheGrammarsPatternsCompile() throws {
        let grammar = try json("fmpolicy.tmLanguage.json")
        var count = 0
        func visit(_ value: Any) throws {
            if let object = value as? [String: Any] {
                for key in ["match", "begin", "end"] {
                    if let pattern = object[key] as? String {
                        _ = try NSRegularExpression(pattern: pattern)
                        count += 1
                    }
                }
                for (_, v) in object { try visit(v) }
            } else if let array = value as? [Any] {
                for v in array { try visit(v) }
            }
        }
        try visit(grammar)
        XCTAssertGreaterThan(count, 40)
        let repository = try XCTUnwrap(grammar["repository"] as? [String: Any])
        let comment = try XCTUnwrap(repository["comment"] as? [String: Any])
        XCTAssertEqual(comment["name"] as? String, "comment.line.number-sign.fmpolicy")
        let date = try NSRegularExpression(pattern: try XCTUnwrap((repository["date"] as? [String: Any])?["match"] as? String))
        XCTAssertNotNil(date.firstMatch(in: "in force from 2018-01-01", range: NSRange(location: 0, length: 24)))
    }

    func testTheVSCodeExtensionRegistersTheLanguageAndTheServer() throws {
        let manifest = try json("vscode/package.json")
        let contributes = try XCTUnwrap(manifest["contributes"] as? [String: Any])
        let language = try XCTUnwrap((contributes["languages"] as? [[String: Any]])?.first)
        XCTAssertEqual(language["id"] as? String, "fmpolicy")
        XCTAssertEqual(language["extensions"] as? [String], [".fm"])
        let grammar = try XCTUnwrap((contributes["grammars"] as? [[String: Any]])?.first)
        XCTAssertEqual(grammar["scopeName"] as? String, "source.fmpolicy")
        // The extension ships a copy of the grammar in editors/; the two must not drift apart.
        let shipped = try Data(contentsOf: Self.editors.appendingPathComponent("vscode/" + (try XCTUnwrap(grammar["path"] as? String))))
        XCTAssertEqual(shipped, try Data(contentsOf: Self.editors.appendingPathComponent("fmpolicy.tmLanguage.json")),
                       "copy editors/fmpolicy.tmLanguage.json to editors/vscode/syntaxes/")
        _ = try json("vscode/language-configuration.json")
        let client = try String(contentsOf: Self.editors.appendingPathComponent("vscode/extension.js"), encoding: .utf8)
        XCTAssertTrue(client.contains("args: [\"lsp\"]"))
    }
}
