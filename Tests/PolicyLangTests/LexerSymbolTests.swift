@testable import PolicyLang
import XCTest

/// The lexer matches symbols on bytes; these hold it to the spellings `Symbol` declares.
final class LexerSymbolTests: XCTestCase {
    func kinds(_ text: String) -> [TokenKind] {
        Array(Lexer.tokenize(SourceFile(path: "t.fm", text: text), keywords: .english).tokens.map(\.kind).dropLast())
    }

    func testEverySymbolIsReadAsItself() {
        for s in Symbol.allCases {
            XCTAssertEqual(kinds(s.rawValue), [.symbol(s)], s.rawValue)
            XCTAssertEqual(kinds("a\(s.rawValue)b"), [.identifier, .symbol(s), .identifier], s.rawValue)
        }
    }

    /// Two symbols written together: the longest spelling at each point wins, as `<=` over `<`.
    func testAdjacentSymbolsTakeTheLongestSpellingFirst() {
        let all = Symbol.allCases
        for a in all {
            for b in all {
                let text = a.rawValue + b.rawValue
                var expected: [TokenKind] = []
                var rest = Substring(text)
                while !rest.isEmpty {
                    let s = all.filter { rest.hasPrefix($0.rawValue) }.max { $0.rawValue.count < $1.rawValue.count }!
                    expected.append(.symbol(s))
                    rest = rest.dropFirst(s.rawValue.count)
                }
                XCTAssertEqual(kinds(text), expected, text)
            }
        }
    }

    func testBytesThatAreNoSymbolAreInvalid() {
        for text in ["!", "&", ";", "/", "[", "é"] {
            XCTAssertEqual(kinds(text), [.invalid], text)
        }
        XCTAssertEqual(kinds("!=!"), [.symbol(.notEquals), .invalid])
    }

    func testKeywordSetsSpellAndReadBack() {
        for set in KeywordSet.all {
            for k in Keyword.allCases {
                XCTAssertEqual(set.keyword(set.spelling(k)), k, "\(set.language) \(k)")
            }
        }
        XCTAssertEqual(KeywordSet.english.spelling(.overdue), "overdue")
        XCTAssertEqual(KeywordSet.german.spelling(.overdue), "ueberfaellig")
        XCTAssertEqual(KeywordSet.german.keyword("ueberfaellig"), .overdue)
        XCTAssertNil(KeywordSet.german.keyword("overdue"))
    }
}
