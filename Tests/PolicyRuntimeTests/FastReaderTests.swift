import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// The fast case reader decides nothing of its own: on every case the repository holds, and on
/// each of them laid out differently, it returns what the full reader returns (after both drop
/// the entries after the Stichtag) or gives up.
final class FastReaderTests: XCTestCase {
    var readers: [CaseDecoder] = []
    /// Kept from case to case within a test, as a batch worker keeps its own.
    let dates = DateCache()

    override func setUpWithError() throws {
        let policies = try ["ilmkreis", "hannover", "berlin", "kkm"].map { try TestPolicies.load($0) }
        readers = [CaseDecoder(schema: policies[0].schema)] + policies.map { CaseDecoder(schema: $0.schema, policy: $0) }
    }

    func assertAgree(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        assertAgree(Array(text.utf8), name, file: file, line: line)
    }

    func assertAgree(_ bytes: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        // Judged at the case's own Stichtag, and at an `--as-of` that drops more entries; and with
        // the dates of the cases before in a cache, as a batch worker reads them.
        for reader in readers {
            for asOf in [nil, CalendarDate(year: 2024, month: 1, day: 1)] {
                let agree = bytes.withUnsafeBufferPointer { reader.readersAgree(on: $0, asOf: asOf) }
                XCTAssertTrue(agree, "fast and full reader disagree on \(name) (as of \(asOf.map(String.init(describing:)) ?? "its Stichtag"))",
                              file: file, line: line)
            }
            let agree = bytes.withUnsafeBufferPointer { reader.readersAgree(on: $0, dates: dates) }
            XCTAssertTrue(agree, "fast and full reader disagree on \(name) (with the dates of the cases before)", file: file, line: line)
        }
    }

    func testAgreeOnEveryRepositoryCase() throws {
        let cases = try TestPolicies.repositoryCases()
        XCTAssertGreaterThan(cases.count, 150)
        for (name, text) in cases { assertAgree(text, name) }
    }

    /// The same cases pretty-printed, with keys sorted and slashes escaped: whitespace
    /// everywhere, fields out of the schema's order, strings with escapes.
    func testAgreeOnTheSameCasesLaidOutDifferently() throws {
        var laidOut = 0
        for (name, bytes) in try TestPolicies.repositoryCases() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
                  let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else { continue }
            assertAgree(String(decoding: pretty, as: UTF8.self), name + " (pretty, sorted)")
            laidOut += 1
        }
        XCTAssertGreaterThan(laidOut, 100)
    }

    /// Shapes the fast reader gives up on or hands over a value at a time; each must come out
    /// as the full reader has it (a case, or the full reader's error).
    func testAgreeOnUnusualShapes() {
        let valid = #"{"id":"T-1","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-05-14","rechtskreis":"SGB2"},"fallmanagement":{"beginn":"2024-01-10","fortfuehrungspruefungen":[{"datum":"2024-07-01"}]},"kontakte":[]}"#
        let replacements: [(String, String)] = [
            (#""id":"T-1""#, #""id":"T\u002d1""#),                       // escaped kept string
            (#""2024-07-01""#, #""2024\u002d07-01""#),                    // escaped date
            (#""SGB2""#, #""SGB\u0032""#),                                // escaped enum name
            (#""rechtskreis""#, #""rechts\u006breis""#),                  // escaped key
            (#""id""#, #""unbekannt":{"a":[1,2.5e3,null,true]},"id""#),  // unknown field
            (#""kontakte":[]"#, #""kontakte":null"#),
            (#""kontakte":[]"#, #""kontakte":[null]"#),
            (#""kontakte":[]"#, #""kontakte":[],"kontakte":[]"#),
            (#""kontakte":[]"#, #""kontakte":[],"#),
            (#"[{"datum":"2024-07-01"}]"#, #"[{"datum":"2024-07-01"},]"#),
            (#""2024-07-01""#, #""2023-02-29""#),
            (#""2024-07-01""#, #""2024-7-01""#),
            (#""2024-07-01""#, #""0000-01-01""#),
            (#""SGB2""#, #""SGB9""#),
            (#""SGB2""#, "\"SGB\u{00E9}\""),
            (#""T-1""#, "\"T-\u{00E9}\""),
            (#""T-1""#, "\"T-\u{0001}\""),
            (#""T-1""#, "17"),
            (#""person":{"#, #""person":{"arbeitslos":tru,"#),
            (#""person":{"#, #""person":{"arbeitslos":null,"#),
            (#""beginn":"2024-01-10","#, ""),
        ]
        var variants = [valid, "\u{FEFF}" + valid, " \t\r\n" + valid + " \n", valid + "x", String(valid.dropLast()),
                        String(repeating: "[", count: 600)]
        for (old, new) in replacements { variants.append(valid.replacingOccurrences(of: old, with: new)) }
        // Nesting at and beyond the reader's limit of 512, inside an unknown field.
        for depth in [510, 511, 512] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            variants.append(valid.replacingOccurrences(of: #""id""#, with: #""tief":"# + nested + #","id""#))
        }
        for (n, v) in variants.enumerated() { assertAgree(v, "variant \(n)") }
    }

    /// Shapes for the ways the fast reader matches names and values straight against the input:
    /// a key compared with its quote and colon, an enum name with its quote (among names that
    /// start alike), a date a word at a time, a compact delimiter, each next to what only looks
    /// like it. The valid ones the fast reader must read itself, not merely agree by giving up.
    func testAgreeOnNamesAndValuesThatAlmostMatch() {
        let valid = #"{"id":"T-2","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-05-14","rechtskreis":"SGB2","profillage":"marktprofil"},"handlungsbedarfe":[{"schluesselgruppe":"motivation","bezeichnung":"Sucht","verfestigt":true}],"fallmanagement":{"beginn":"2024-01-10","fortfuehrungspruefungen":[{"datum":"2024-07-01","tl_informiert":false}],"ende":null},"kontakte":[{"datum":"2024-02-01","art":"handlungsstrategie_aktiviert","rechtskreis":"SGB2"},{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}]}"#
        let stillValid: [(String, String)] = [
            // Keys: whitespace before the colon, unknown names one byte longer or shorter.
            (#""rechtskreis":"SGB2"}"#, #""rechtskreis" :"SGB2"}"#),
            // Keys out of the schema's order, found by their first byte among fields that share it
            // (`beginn`, `beendigungsgrund`, `betreuung`; `fortfuehrungspruefungen`, `fallmanager`),
            // next to unknown names in the same bucket (a capital shares its letter's low bits).
            (#""beginn":"2024-01-10","fortfuehrungspruefungen":[{"datum":"2024-07-01","tl_informiert":false}],"ende":null"#,
             #""ende":null,"fortfuehrungspruefungen":[{"datum":"2024-07-01","tl_informiert":false}],"beginn":"2024-01-10""#),
            (#""ende":null"#, #""beendigungsgrund":null,"ende":null"#),
            (#""fallmanagement":{"#, #""fallmanagement":{"Beginn":1,"beginnx":2,"begin":3,"b":4,"#),
            (#""fallmanagement":{"#, #""fallmanagement":{"fallmanagerin":"x","fallmanager":"FM-1","#),
            (#""id":"T-2","stichtag":"2025-03-01","#, #""stichtag":"2025-03-01","Id":"T-0","id":"T-2","#),
            (#""geburtsdatum":"#, #""geburtsdatumx":"2000-01-01","geburtsdatum":"#),
            (#""geburtsdatum":"#, #""geburtsdatu":1,"geburtsdatum":"#),
            (#""art":"netzwerk""#, #""ar":"netzwerk""#),
            (#""ende":null"#, #""ende":"2024-12-31","beendigungsgrund":null"#),
            // Enum names that start alike.
            (#""handlungsstrategie_aktiviert""#, #""handlungsstrategie_erfolgreich""#),
            (#""handlungsstrategie_aktiviert""#, #""handlungsstrategie_nicht_erfolgreich""#),
            (#""netzwerk""#, "null"),
            (#""marktprofil""#, #""marktprofi\u006c""#),
            // Dates around the years counted without the century rule.
            (#""1990-05-14""#, #""1900-02-28""#),
            (#""1990-05-14""#, #""1901-01-01""#),
            (#""1990-05-14""#, #""2000-02-29""#),
            (#""1990-05-14""#, #""2099-12-31""#),
            (#""1990-05-14""#, #""0001-01-01""#),
            (#""1990-05-14""#, #""9999-12-31""#),
            // Delimiters with whitespace, and free text that is not plain ASCII.
            (#"},{"datum":"2024-03-01""#, #"} , { "datum" : "2024-03-01""#),
            (#","art":"netzwerk""#, #", "art":"netzwerk""#),
            (#""Sucht""#, "\"Sucht \u{00FC}ber\""),
            (#""Sucht""#, #""Sucht \u00fcber""#),
        ]
        let notValid: [(String, String)] = [
            (#""ende":null"#, #""ende":null,"ende":"2024-12-31""#),
            (#""ende":null"#, #""ende":null,"beginn":"2024-01-11""#),                     // twice, out of order
            (#""fallmanagement":{"#, #""fallmanagement":{"fortfuehrungspruefungen":[],"#),
            (#""handlungsstrategie_aktiviert""#, #""handlungsstrategie_aktivier""#),
            (#""handlungsstrategie_aktiviert""#, #""handlungsstrategie_aktivierte""#),
            (#""handlungsstrategie_aktiviert""#, #""Handlungsstrategie_aktiviert""#),
            (#""netzwerk""#, #""netzwerk ""#),
            (#""netzwerk""#, #""""#),
            (#""SGB3""#, #""SGB""#),
            (#""1990-05-14""#, #""1900-02-29""#),
            (#""1990-05-14""#, #""2100-02-29""#),
            (#""2024-02-01""#, #""2024-02-30""#),
            (#""2024-02-01""#, #""2024-00-01""#),
            (#""2024-02-01""#, #""2024-02-00""#),
            (#""2024-02-01""#, #""2024-02-1:""#),
            (#""2024-02-01""#, #""2024/02/01""#),
            (#""2024-02-01""#, #""2024-02-011""#),
        ]
        XCTAssertTrue(readers[0].fastReaderReads(valid))
        assertAgree(valid, "the valid case")
        for (n, (old, new)) in stillValid.enumerated() {
            let variant = valid.replacingOccurrences(of: old, with: new)
            XCTAssertTrue(readers[0].fastReaderReads(variant), "the fast reader gives up on valid variant \(n)")
            assertAgree(variant, "valid variant \(n)")
        }
        for (n, (old, new)) in notValid.enumerated() { assertAgree(valid.replacingOccurrences(of: old, with: new), "variant \(n)") }
        // The end of the input inside a name, a date or a delimiter.
        for n in 1...14 { assertAgree(String(valid.dropLast(n)), "the case without its last \(n) bytes") }
        // Free text with bytes that are not UTF-8.
        var bytes = Array(valid.utf8)
        let text = bytes.firstRange(of: Array("Sucht".utf8))!
        for byte: UInt8 in [0xC3, 0xFF, 0x80, 0x01] {
            bytes[text.lowerBound + 2] = byte
            assertAgree(bytes, "free text with byte \(byte)")
        }
    }

    // MARK: lists no rule reads

    /// A case whose `kontakte` Hannover's rules never read (only `ba`'s definition
    /// `qualifizierte_kontakte` does, which no Hannover rule uses) and Ilm-Kreis's do.
    static let withContacts = #"{"id":"T-3","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-05-14","rechtskreis":"SGB2"},"handlungsbedarfe":[{"schluesselgruppe":"motivation","bezeichnung":"Sucht","verfestigt":true}],"fallmanagement":{"fallmanager":"FM-1","beginn":"2024-01-10","fortfuehrungspruefungen":[{"datum":"2024-07-01"}]},"kontakte":[{"datum":"2024-02-01","art":"beratungsvermerk","rechtskreis":"SGB2"},{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}]}"#

    func testListsNoRuleReadsAreCheckedButNotKept() throws {
        let hannover = try TestPolicies.load("hannover"), ilmkreis = try TestPolicies.load("ilmkreis")
        let slot = try XCTUnwrap(hannover.schema.root.fieldIndex["kontakte"])
        func contacts(_ decoder: CaseDecoder) throws -> Int? {
            // The case's values live in its arena, which the decoded case keeps: it must outlive the read.
            let decoded = try decoder.decode(Self.withContacts)
            return withExtendedLifetime(decoded) {
                guard case .list(let entries) = decoded.root[slot] else { return nil }
                return entries.count
            }
        }
        let hannoverReader = CaseDecoder(schema: hannover.schema, policy: hannover)
        XCTAssertEqual(try contacts(hannoverReader), 0)
        XCTAssertEqual(try contacts(CaseDecoder(schema: ilmkreis.schema, policy: ilmkreis)), 2)
        XCTAssertEqual(try contacts(CaseDecoder(schema: hannover.schema)), 2)
        // Checked by the fast reader itself, not left to the full one.
        XCTAssertTrue(hannoverReader.fastReaderReads(Self.withContacts))
        assertAgree(Self.withContacts, "a case with contacts")
    }

    /// A policy that reads none of the case's lists: every list is checked and dropped, in
    /// each of the shapes the fast reader reads.
    func testAPolicyThatReadsNoListAgrees() throws {
        let policy = try Self.policyReadingNoList()
        let reader = CaseDecoder(schema: policy.schema, policy: policy), everyField = CaseDecoder(schema: policy.schema)
        let lists = policy.schema.root.fields.indices.filter { if case .list = policy.schema.root.fields[$0].type.base { true } else { false } }
        XCTAssertEqual(lists.count, 4)
        for (name, bytes) in try TestPolicies.repositoryCases() {
            let (kept, full) = bytes.withUnsafeBufferPointer { (try? reader.decode($0), try? everyField.decode($0)) }
            XCTAssertEqual(kept == nil, full == nil, name)
            XCTAssertTrue(bytes.withUnsafeBufferPointer { reader.readersAgree(on: $0) }, name)
            guard let kept else { continue }
            for slot in lists {
                guard case .list(let entries) = kept.root[slot] else { XCTFail(name); continue }
                XCTAssertEqual(entries.count, 0, name)
            }
        }
        XCTAssertTrue(reader.fastReaderReads(Self.withContacts))
    }

    /// A policy whose rules read none of the case's lists.
    static func policyReadingNoList() throws -> CheckedPolicy {
        let loaded = try TestPolicies.compile("""
        policy alter
          title "Alter"
          citation "Alter"

        rule u25 "Unter 25"
          cites "1"
          info when age(person.geburtsdatum, stichtag) < 25
            message "unter 25"
        """)
        return try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
    }

    /// The fields of an entry after its last date are compared whole with every way they can
    /// read (the plan lists them when they are few): each of those ways is read by the fast
    /// reader itself, and each with one byte changed (another name, one cut short, grown or
    /// unknown, another key, whitespace, a quote or brace too many) exactly when the full reader
    /// accepts it.
    func testTheFieldsAfterAnEntrysLastDateAreMatchedWhole() throws {
        let hannover = try TestPolicies.load("hannover"), noList = try Self.policyReadingNoList()
        let kinds = ["beratungsvermerk", "eingliederungsvereinbarung", "standortbestimmung", "fallmanagement", "profiling_handlungsbedarf",
                     "profiling_profilwechsel", "handlungsstrategie_aktiviert", "handlungsstrategie_erfolgreich",
                     "handlungsstrategie_nicht_erfolgreich", "reha_kontakt", "telefonat", "netzwerk", "sonstiges"]
        let contact = #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}"#
        let review = #"{"datum":"2024-07-01"}"#
        // Kontakt: `art` and `rechtskreis`, 26 ways; Fortfuehrungspruefung: two bools, 4 ways.
        let unread = CaseDecoder(schema: hannover.schema, policy: hannover), noListRead = CaseDecoder(schema: noList.schema, policy: noList)
        var entries: [(reader: CaseDecoder, old: String, head: String, tail: String)] = []
        for art in kinds {
            for rechtskreis in ["SGB2", "SGB3"] {
                entries.append((unread, contact, #"{"datum":"2024-03-01""#, #","art":"\#(art)","rechtskreis":"\#(rechtskreis)"}"#))
            }
        }
        for informed in [true, false] {
            for agreed in [true, false] {
                entries.append((noListRead, review, #"{"datum":"2024-07-01""#,
                                #","tl_informiert":\#(informed),"tl_zustimmung":\#(agreed)}"#))
            }
        }
        for (reader, old, head, tail) in entries {
            let text = Self.withContacts.replacingOccurrences(of: old, with: head + tail)
            XCTAssertTrue(reader.fastReaderReads(text), tail)
            XCTAssertTrue(Array(text.utf8).withUnsafeBufferPointer { reader.readersAgree(on: $0) }, tail)
            let bytes = Array(text.utf8), range = try XCTUnwrap(text.range(of: head + tail))
            let start = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + head.utf8.count
            for at in start ..< start + tail.utf8.count {
                for byte: UInt8 in [0x20, 0x22, 0x2C, 0x7D, bytes[at] &+ 1] where byte != bytes[at] {
                    var changed = bytes
                    changed[at] = byte
                    let changedText = String(decoding: changed, as: UTF8.self), accepted = (try? reader.decode(changedText)) != nil
                    XCTAssertEqual(reader.fastReaderReads(changedText), accepted, "\(tail), byte \(at - start) changed to \(byte)")
                    XCTAssertTrue(changed.withUnsafeBufferPointer { reader.readersAgree(on: $0) }, "\(tail), byte \(at - start) changed to \(byte)")
                }
            }
            // Cut short at every byte and closed there.
            for length in 0 ..< tail.utf8.count - 1 {
                let cut = Self.withContacts.replacingOccurrences(of: old, with: head + String(decoding: tail.utf8.prefix(length), as: UTF8.self) + "}")
                XCTAssertEqual(reader.fastReaderReads(cut), (try? reader.decode(cut)) != nil, "\(tail) cut at \(length)")
            }
        }
    }

    /// Wrong entries inside a list no rule reads: the fast reader gives up, and the full reader
    /// says what is wrong and where exactly as a reader of every field does.
    func testWrongEntriesOfAListNoRuleReads() throws {
        let hannover = try TestPolicies.load("hannover")
        let unread = CaseDecoder(schema: hannover.schema, policy: hannover), everyField = CaseDecoder(schema: hannover.schema)
        let second = #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}"#
        let wrong: [String] = [
            #"{"datum":"2024-02-30","art":"netzwerk","rechtskreis":"SGB3"}"#,       // no such day
            #"{"datum":"2024-3-01","art":"netzwerk","rechtskreis":"SGB3"}"#,        // not a date
            #"{"datum":"2024-03-01","art":"netzwerkk","rechtskreis":"SGB3"}"#,      // unknown enum name
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB9"}"#,
            #"{"art":"netzwerk","rechtskreis":"SGB3"}"#,                            // required field missing
            #"{"datum":null,"art":"netzwerk"}"#,                                    // … or null
            #"{"datum":"2024-03-01","datum":"2024-03-02"}"#,                        // twice
            #"{"datum":"2024-03-01","art":true}"#,                                  // wrong type
            #"{"datum":20240301}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","x":{"y":[1,tru]}}"#,         // invalid JSON inside
            #"{"datum":"2024-03-01","art":"netzwerkk"}"#,                      // escaped, unknown
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"]"#,
            "null", #""2024-03-01""#, "17", "[]", "true",                            // not an entry
        ]
        XCTAssertTrue(unread.fastReaderReads(Self.withContacts))
        for (n, entry) in wrong.enumerated() {
            let text = Self.withContacts.replacingOccurrences(of: second, with: entry)
            XCTAssertFalse(unread.fastReaderReads(text), "the fast reader reads wrong entry \(n)")
            let errors = [unread, everyField].map { reader -> CaseReadError? in
                do throws(CaseReadError) { _ = try reader.decode(text); return nil } catch { return error }
            }
            XCTAssertNotNil(errors[0], "wrong entry \(n) is read")
            XCTAssertEqual(errors[0], errors[1], "wrong entry \(n)")
            XCTAssertTrue(errors[0]?.path.hasPrefix("kontakte[1]") ?? false, "wrong entry \(n): \(errors[0]?.path ?? "")")
            assertAgree(text, "wrong entry \(n)")
        }
        // Still valid: an unknown field, whitespace, escapes and free text inside an entry.
        let fine = [#"{"datum":"2024-03-01","notiz":{"a":[1,2.5e3,null]},"art":"netzwerk"}"#,
                    #"{ "datum" : "2024-03-01" , "art" : "netzwerk" }"#, #"{"rechtskreis":null,"datum":"2024-03-01"}"#]
        for (n, entry) in fine.enumerated() {
            let text = Self.withContacts.replacingOccurrences(of: second, with: entry)
            XCTAssertNoThrow(try unread.decode(text), "valid entry \(n)")
            assertAgree(text, "valid entry \(n)")
        }
    }

    /// Entries of an unread list in the common shape are matched in one pass; anything that
    /// leaves that shape part of the way through (a field missing, out of order, extra or twice,
    /// null, whitespace, a near-miss key) is read again from the entry's start, and each date
    /// is only checked to exist. The fast reader must still agree with the full one, and read
    /// by itself exactly what the full reader accepts.
    func testEntriesOfAListNoRuleReadsThatLeaveTheCommonShape() throws {
        let hannover = try TestPolicies.load("hannover")
        let unread = CaseDecoder(schema: hannover.schema, policy: hannover)
        let second = #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}"#
        let entries: [String] = [
            #"{"datum":"2024-03-01","art":"netzwerk"}"#,
            #"{"datum":"2024-03-01"}"#,
            #"{"art":"netzwerk","datum":"2024-03-01","rechtskreis":"SGB3"}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3","x":1}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3","datum":"2024-03-02"}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3","art":"netzwerk"}"#,
            #"{"datum":"2024-03-01","art":null,"rechtskreis":"SGB3"}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":null}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3" }"#,
            #"{"datum" :"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}"#,
            #"{"datumx":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}"#,
            #"{"datum":"2024-03-01","arts":"netzwerk","rechtskreis":"SGB3"}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3","#,
            #"{"datum":"2024-03-01","art":"handlungsstrategie_erfolgreich","rechtskreis":"SGB2"}"#,
            #"{"datum":"2024-03-01","art":"handlungsstrategie_erfolgreic","rechtskreis":"SGB2"}"#,
            #"{"datum":"2024-03-01","art":"handlungsstrategie_erfolgreichx","rechtskreis":"SGB2"}"#,
            #"{"datum":"2024-03-01","art":"SGB2","rechtskreis":"netzwerk"}"#,
            #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}}"#,
        ]
        for (n, entry) in entries.enumerated() {
            let text = Self.withContacts.replacingOccurrences(of: second, with: entry)
            let accepted = (try? unread.decode(text)) != nil
            XCTAssertEqual(unread.fastReaderReads(text), accepted, "entry \(n)")
            assertAgree(text, "entry \(n)")
        }
        // Dates that exist and dates that do not, leap days and month ends among them.
        for (year, month, day) in [(2024, 2, 29), (2023, 2, 29), (2000, 2, 29), (2100, 2, 29), (1900, 2, 28), (2024, 4, 30), (2024, 4, 31),
                                   (2024, 12, 31), (2024, 12, 32), (2024, 0, 10), (2024, 13, 1), (2024, 1, 0), (0, 1, 1), (1, 1, 1), (9999, 12, 31)] {
            let iso = String(format: "%04d-%02d-%02d", year, month, day)
            let text = Self.withContacts.replacingOccurrences(of: "2024-03-01", with: iso)
            XCTAssertEqual(unread.fastReaderReads(text), CalendarDate(iso: iso) != nil, iso)
            assertAgree(text, iso)
        }
        // Every entry cut short, and every byte of the entries changed.
        let bytes = Array(Self.withContacts.utf8), contacts = try XCTUnwrap(Self.withContacts.range(of: #""kontakte":["#))
        let first = Self.withContacts.utf8.distance(from: Self.withContacts.startIndex, to: contacts.upperBound)
        for end in first ..< bytes.count { assertAgree(Array(bytes[..<end]), "cut at \(end)") }
        for at in first ..< bytes.count - 2 {
            for byte: UInt8 in [0x20, 0x22, 0x2C, 0x30, 0x39, 0x7D, 0x61] where byte != bytes[at] {
                var changed = bytes
                changed[at] = byte
                assertAgree(changed, "byte \(at) changed to \(byte)")
            }
        }
    }

    /// Lists longer than the reader's first room for entries (32, taken from the arena), valid
    /// and with the last entry wrong, so that the full reader reads again into the same arena.
    func testLongLists() throws {
        let entry = #"{"datum":"2024-03-01","art":"netzwerk","rechtskreis":"SGB3"}"#
        for count in [31, 32, 33, 100] {
            let entries = Array(repeating: entry, count: count)
            let valid = Self.withContacts.replacingOccurrences(of: entry, with: entries.joined(separator: ","))
            XCTAssertTrue(readers[0].fastReaderReads(valid), "\(count) entries")
            assertAgree(valid, "\(count) entries")
            let wrong = Self.withContacts.replacingOccurrences(of: entry, with: (entries.dropLast() + ["null"]).joined(separator: ","))
            assertAgree(wrong, "\(count) entries, the last null")
            let ilmkreis = try TestPolicies.load("ilmkreis")
            let reader = CaseDecoder(schema: ilmkreis.schema, policy: ilmkreis)
            XCTAssertThrowsError(try reader.decode(wrong))
            let slot = try XCTUnwrap(ilmkreis.schema.root.fieldIndex["kontakte"])
            let decoded = try reader.decode(valid)
            guard case .list(let contacts) = decoded.root[slot] else { return XCTFail("no contacts") }
            XCTAssertEqual(contacts.count, count + 1)
            withExtendedLifetime(decoded) {}
            // An escaped key after the list: the fast reader gives up there, and the full reader
            // reads the case again into the same arena.
            let escaped = String(valid.dropLast()) + #","unbekannt\u0020":1}"#
            XCTAssertFalse(reader.fastReaderReads(escaped))
            let again = try reader.decode(escaped), everyField = try readers[0].decode(escaped)
            XCTAssertTrue(again.root[slot].sameContent(as: everyField.root[slot]), "\(count) entries, read again")
        }
    }

    // MARK: records kept, read in one pass

    /// A case whose records of dates, enum names, bools and strings (the person, and the entries
    /// of `handlungsbedarfe`, `zugangspruefungen`, `fortfuehrungspruefungen` and
    /// `eingliederungsvereinbarungen`) all have the common shape.
    static let withKeptRecords = #"{"id":"T-4","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-05-14","rechtskreis":"SGB2","arbeitslos":true,"profillage":"marktprofil","integration_12_monate":false},"handlungsbedarfe":[{"schluesselgruppe":"motivation","bezeichnung":"Sucht","verfestigt":true},{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}],"zugangspruefungen":[{"datum":"2023-11-02","ergebnis":"zugang","begruendung":"passt"}],"fallmanagement":{"fallmanager":"FM-1","beginn":"2024-01-10","fortfuehrungspruefungen":[{"datum":"2024-07-01","tl_informiert":false,"tl_zustimmung":true},{"datum":"2025-01-02","tl_informiert":true,"tl_zustimmung":false}],"eingliederungsvereinbarungen":[{"datum":"2024-02-01"},{"datum":"2025-02-01"}]},"kontakte":[]}"#

    /// Kept records in the common shape are read in one pass; anything that leaves that shape
    /// part of the way through (a field out of order, missing, unknown or twice, null, whitespace,
    /// escapes, text that is not plain ASCII, a near-miss key, a value of the wrong kind) is read
    /// again from the record's start. The fast reader must still agree with the full one, and
    /// read by itself exactly what the full reader accepts.
    func testKeptRecordsThatLeaveTheCommonShape() throws {
        let valid = Self.withKeptRecords
        for reader in readers { XCTAssertTrue(reader.fastReaderReads(valid)) }
        assertAgree(valid, "the valid case")
        let entry = #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}"#
        let check = #"{"datum":"2025-01-02","tl_informiert":true,"tl_zustimmung":false}"#
        let person = #"{"geburtsdatum":"1990-05-14","rechtskreis":"SGB2","arbeitslos":true,"profillage":"marktprofil","integration_12_monate":false}"#
        let test = #"{"datum":"2023-11-02","ergebnis":"zugang","begruendung":"passt"}"#
        let replacements: [(String, String)] = [
            // Out of order, missing, unknown, twice, null.
            (entry, #"{"bezeichnung":"Wohnen","schluesselgruppe":"rahmenbedingungen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen"}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false,"x":[1,{"y":null}]}"#),
            (entry, #"{"x":1,"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false,"verfestigt":true}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","schluesselgruppe":"motivation","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":null,"bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":null,"verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":null}"#),
            (entry, "{}"),
            (check, #"{"tl_informiert":true,"tl_zustimmung":false}"#),
            (check, #"{"datum":null,"tl_informiert":true,"tl_zustimmung":false}"#),
            (check, #"{"datum":"2025-01-02","tl_informiert":true,"tl_zustimmung":false,"datum":"2025-01-03"}"#),
            (#"{"datum":"2024-02-01"}"#, #"{"datum":"2024-02-01","datum":"2024-02-01"}"#),
            (#"{"datum":"2024-02-01"}"#, "{}"),
            (person, #"{"rechtskreis":"SGB2","geburtsdatum":"1990-05-14","arbeitslos":true,"profillage":"marktprofil","integration_12_monate":false}"#),
            (person, #"{"geburtsdatum":"1990-05-14","rechtskreis":"SGB2","arbeitslos":true,"profillage":"marktprofil"}"#),
            (test, #"{"datum":"2023-11-02","ergebnis":"zugang"}"#),
            // Whitespace.
            (entry, #"{ "schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe" :"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe": "rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen" ,"bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false }"#),
            (entry, "{\"schluesselgruppe\":\"rahmenbedingungen\",\n\"bezeichnung\":\"Wohnen\",\"verfestigt\":false}"),
            // Escapes and text that is not plain ASCII, in keys and values.
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Woh\"nen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Woh\u006een","verfestigt":false}"#),
            (entry, "{\"schluesselgruppe\":\"rahmenbedingungen\",\"bezeichnung\":\"Wohnen \u{00FC}ber\",\"verfestigt\":false}"),
            (entry, #"{"schluesselgruppe":"rahmenbedingunge\u006e","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen\","verfestigt":false}"#),
            (test, #"{"datum":"2023-11-02","ergebnis":"zugang","begruendung":"pa\u00dft"}"#),
            (test, "{\"datum\":\"2023-11-02\",\"ergebnis\":\"zugang\",\"begruendung\":\"pa\u{00DF}t\"}"),
            (test, #"{"datum":"2023-11-02","ergebnis":"zugang","begruendung":"pa\qt"}"#),
            (check, #"{"datum":"2025\u002d01-02","tl_informiert":true,"tl_zustimmung":false}"#),
            // Near-miss keys, values of the wrong kind, wrong dates and names.
            (entry, #"{"schluesselgruppex":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnun":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":17,"verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":"false"}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":fals}"#),
            (entry, #"{"schluesselgruppe":"rahmenbedingunge","bezeichnung":"Wohnen","verfestigt":false}"#),
            (entry, #"{"schluesselgruppe":"motivation","bezeichnung":"Wohnen","verfestigt":true}"#),
            (check, #"{"datum":"2025-02-29","tl_informiert":true,"tl_zustimmung":false}"#),
            (check, #"{"datum":"2025-1-02","tl_informiert":true,"tl_zustimmung":false}"#),
            (check, #"{"datum":"2025-01-02","tl_informiert":1,"tl_zustimmung":false}"#),
            (check, #"{"datum":"2025-01-02","tl_informiert":true,"tl_zustimmung":false]"#),
            (check, #"{"datum":"2025-01-02","tl_informiert":true,"tl_zustimmung":false,}"#),
            (check, #"{"datum":"2025-01-02","tl_informiert":true,"tl_zustimmung":false"#),
            // After the Stichtag: dropped, or kept as of an earlier date.
            (check, #"{"datum":"2025-06-02","tl_informiert":true,"tl_zustimmung":false}"#),
        ]
        for (n, (old, new)) in replacements.enumerated() {
            let text = valid.replacingOccurrences(of: old, with: new)
            XCTAssertNotEqual(text, valid, "variant \(n)")
            for (r, reader) in readers.enumerated() {
                let accepted = (try? reader.decode(text)) != nil
                XCTAssertEqual(reader.fastReaderReads(text), accepted, "variant \(n), reader \(r)")
            }
            assertAgree(text, "variant \(n)")
        }
        // An escaped key: the fast reader leaves the case to the full reader.
        let escapedKey = valid.replacingOccurrences(of: entry, with: #"{"schluesselgrupp\u0065":"rahmenbedingungen","bezeichnung":"Wohnen","verfestigt":false}"#)
        XCTAssertFalse(readers[0].fastReaderReads(escapedKey))
        XCTAssertNoThrow(try readers[0].decode(escapedKey))
        assertAgree(escapedKey, "an escaped key")
        // Every kept record cut short, and every byte of them changed.
        let bytes = Array(valid.utf8)
        let from = try XCTUnwrap(bytes.firstRange(of: Array(#""person""#.utf8))).lowerBound
        let to = try XCTUnwrap(bytes.firstRange(of: Array(#""kontakte""#.utf8))).lowerBound
        for end in from ..< to { assertAgree(Array(bytes[..<end]), "cut at \(end)") }
        for at in from ..< to {
            for byte: UInt8 in [0x20, 0x22, 0x2C, 0x30, 0x5C, 0x7D, 0x61, 0xC3] where byte != bytes[at] {
                var changed = bytes
                changed[at] = byte
                assertAgree(changed, "byte \(at) changed to \(byte)")
            }
        }
    }

    func testFastReaderReadsTheCommonShape() throws {
        // Not merely agreeing by giving up: a plain case comes out of the fast reader itself.
        let text = try String(contentsOfFile: GoldenTests.root + "/examples/hannover/langzeitbetreuung.json", encoding: .utf8)
        XCTAssertTrue(readers[0].fastReaderReads(text))
    }
}
