@testable import PolicyLang
import XCTest

/// The lexer matches symbols on bytes and screens words by their first byte and length
/// before looking them up; these hold it to `Symbol`'s and the keyword sets' spellings.
final class LexerTokenTests: XCTestCase {
    func kinds(_ text: String, _ keywords: KeywordSet = .english) -> [TokenKind] {
        Array(Lexer.tokenize(SourceFile(path: "t.fm", text: text), keywords: keywords).tokens.map(\.kind).dropLast())
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

    func testEveryKeywordIsReadAsOneAndNearMissesAsNames() {
        for set in KeywordSet.all {
            for k in Keyword.allCases {
                let word = set.spelling(k)
                XCTAssertEqual(kinds(word, set), [.keyword(k)], "\(set.language) \(word)")
                for miss in [word + "x", String(word.dropLast()), "x" + word.dropFirst(), word.uppercased()] where set.keyword(miss) == nil {
                    XCTAssertEqual(kinds(miss, set), [.identifier], "\(set.language) \(miss)")
                }
            }
        }
    }
}
