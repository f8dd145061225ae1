import Foundation
import XCTest

/// A scripted editor session against the built `fmpolicy lsp`: JSON-RPC with
/// `Content-Length` framing over the process's standard input and output. Every read has a
/// timeout, so a server that hangs fails the test instead of the suite.
final class LanguageServerTests: XCTestCase {
    struct Timeout: Error, CustomStringConvertible { let description: String }

    /// One running server and the messages it has sent, in order.
    final class Session: @unchecked Sendable {
        let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        private let lock = NSLock()
        private var buffer = Data()
        private var messages: [[String: Any]] = []
        private let arrived = DispatchSemaphore(value: 0)
        private var nextID = 0

        init(cwd: URL) throws {
            process.executableURL = CommandLineTests.binary
            process.arguments = ["lsp"]
            process.currentDirectoryURL = cwd
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "FMPOLICY_PATH")
            process.environment = environment
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.received(data)
            }
            try process.run()
        }

        private func received(_ data: Data) {
            lock.lock()
            buffer.append(data)
            var complete: [[String: Any]] = []
            while let headerEnd = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let header = String(decoding: buffer[buffer.startIndex..<headerEnd.lowerBound], as: UTF8.self)
                guard let length = header.split(separator: "\r\n").compactMap({ line -> Int? in
                    let parts = line.split(separator: ":")
                    return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                }).first, buffer.distance(from: headerEnd.upperBound, to: buffer.endIndex) >= length else { break }
                let body = buffer[headerEnd.upperBound..<buffer.index(headerEnd.upperBound, offsetBy: length)]
                if let message = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] { complete.append(message) }
                buffer = Data(buffer[buffer.index(headerEnd.upperBound, offsetBy: length)...])
            }
            messages += complete
            lock.unlock()
            for _ in complete { arrived.signal() }
        }

        func sendRaw(_ body: Data) {
            input.fileHandleForWriting.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
        }

        func send(_ message: [String: Any]) throws {
            sendRaw(try JSONSerialization.data(withJSONObject: message))
        }

        /// The next message from the server, waiting at most `seconds`.
        func next(within seconds: Double = 20) throws -> [String: Any] {
            guard arrived.wait(timeout: .now() + seconds) == .success else { throw Timeout(description: "no message from the server within \(seconds) s") }
            lock.lock()
            defer { lock.unlock() }
            return messages.removeFirst()
        }

        func notify(_ method: String, _ params: [String: Any]) throws {
            try send(["jsonrpc": "2.0", "method": method, "params": params])
        }

        /// Sends a request and returns its response; notifications that arrive first are kept in `skipped`.
        func request(_ method: String, _ params: Any, skipped: inout [[String: Any]]) throws -> [String: Any] {
            nextID += 1
            let id = nextID
            try send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
            while true {
                let m = try next()
                if m["id"] as? Int == id { return m }
                skipped.append(m)
            }
        }

        func request(_ method: String, _ params: Any) throws -> [String: Any] {
            var skipped: [[String: Any]] = []
            return try request(method, params, skipped: &skipped)
        }

        func notification(_ method: String) throws -> [String: Any] {
            while true {
                let m = try next()
                if m["method"] as? String == method { return m }
            }
        }

        /// The exit status, waiting at most `seconds`.
        func exitStatus(within seconds: Double = 20) throws -> Int32 {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            guard !process.isRunning else { throw Timeout(description: "the server did not exit within \(seconds) s") }
            return process.terminationStatus
        }

        func stop() {
            output.fileHandleForReading.readabilityHandler = nil
            if process.isRunning { process.terminate() }
        }
    }

    /// A policy extending the shipped `ba`, with one error behind umlauts and an emoji, so the
    /// diagnostic's column must be counted in UTF-16 units.
    static let policy = """
    policy muster extends ba
      title "Jobcenter Muster – Dienstanweisung"
      citation "DA Muster"

    # §4 „Die Betreuung soll nicht länger als 18 Monate dauern.“
    override param regeldauer = 18 months

    param ev_frist = 3 months

    rule ev.abschluss "Erste Eingliederungsvereinbarung"
      cites "§5"
      when in_betreuung
      deadline fm.beginn + ev_frist
        overdue error message "Überfällig – 📅 seit {due}, {in_betreung}"

    """

    /// 0-based line and UTF-16 column of `word` in `text` (plus `shift` units).
    func position(of word: String, in text: String, shift: Int = 0) -> [String: Int] {
        let lines = text.components(separatedBy: "\n")
        let line = lines.firstIndex { $0.contains(word) }!
        return ["line": line, "character": lines[line].components(separatedBy: word)[0].utf16.count + shift]
    }

    func range(_ value: Any?) -> [Int] {
        let r = value as? [String: Any]
        let s = r?["start"] as? [String: Int], e = r?["end"] as? [String: Int]
        return [s?["line"], s?["character"], e?["line"], e?["character"]].map { $0 ?? -1 }
    }

    func testAScriptedEditorSession() throws {
        let session = try Session(cwd: CommandLineTests.root)
        defer { session.stop() }
        let uri = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-lsp-\(getpid())/muster.fm").absoluteString

        // initialize: the capabilities the editor relies on.
        let initialize = try session.request("initialize", ["processId": NSNull(), "rootUri": NSNull(), "capabilities": [String: Any]()])
        let capabilities = try XCTUnwrap((initialize["result"] as? [String: Any])?["capabilities"] as? [String: Any])
        XCTAssertEqual(capabilities["textDocumentSync"] as? Int, 1)
        XCTAssertEqual(capabilities["hoverProvider"] as? Bool, true)
        XCTAssertEqual(capabilities["definitionProvider"] as? Bool, true)
        XCTAssertEqual((capabilities["completionProvider"] as? [String: Any])?["triggerCharacters"] as? [String], ["."])
        XCTAssertEqual(capabilities["documentSymbolProvider"] as? Bool, true)
        XCTAssertEqual(capabilities["documentFormattingProvider"] as? Bool, true)
        try session.notify("initialized", [:])

        // didOpen → publishDiagnostics with the error at its 0-based UTF-16 range.
        try session.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "fmpolicy", "version": 1, "text": Self.policy]])
        let published = try XCTUnwrap(session.notification("textDocument/publishDiagnostics")["params"] as? [String: Any])
        XCTAssertEqual(published["uri"] as? String, uri)
        let diagnostics = try XCTUnwrap(published["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)")
        let error = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(error["message"] as? String, "unknown name `in_betreung`\nhelp: did you mean `in_betreuung`?")
        XCTAssertEqual(error["code"] as? String, "E0416")
        XCTAssertEqual(error["severity"] as? Int, 1)
        let at = position(of: "in_betreung}", in: Self.policy)
        XCTAssertEqual(range(error["range"]), [at["line"]!, at["character"]!, at["line"]!, at["character"]! + 11])
        XCTAssertEqual(at["character"], 56) // 62 bytes before it in UTF-8

        // hover over a parameter: its value and the base value it overrides.
        let parameter = position(of: "regeldauer", in: Self.policy, shift: 2)
        let hover = try session.request("textDocument/hover", ["textDocument": ["uri": uri], "position": parameter])
        let hoverText = try XCTUnwrap(((hover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        XCTAssertTrue(hoverText.contains("override param regeldauer = 18 months"), hoverText)
        XCTAssertTrue(hoverText.contains("Overrides `ba`: `2 "), hoverText) // `2 years` (or `2 jahre`)

        // hover over a case field after `fm.`: its type and its comment in case.fm.
        let field = position(of: "fm.beginn", in: Self.policy, shift: 4)
        let fieldHover = try session.request("textDocument/hover", ["textDocument": ["uri": uri], "position": field])
        let fieldText = try XCTUnwrap(((fieldHover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        XCTAssertEqual(fieldText, """
            **field** `Fallmanagement.beginn`: `date?` (required unless `clearing_beginn`)

            formal assignment / take-over into case management (VerBIS Fallzugang);
            absent only while the case is in the clearing phase
            """)

        // definition of the overridden parameter: its declaration in ba.fm.
        let definition = try session.request("textDocument/definition", ["textDocument": ["uri": uri], "position": parameter])
        let locations = try XCTUnwrap(definition["result"] as? [[String: Any]])
        XCTAssertEqual(locations.count, 1)
        let target = try XCTUnwrap(locations.first?["uri"] as? String)
        XCTAssertTrue(target.hasSuffix("/policies/ba.fm"), target)
        let ba = try String(contentsOf: CommandLineTests.root.appendingPathComponent("policies/ba.fm"), encoding: .utf8)
        let declared = position(of: "regeldauer = 2", in: ba)
        XCTAssertEqual(range(locations.first?["range"]), [declared["line"]!, declared["character"]!, declared["line"]!, declared["character"]! + 10])

        // completion after `fm.` (the text changed in the editor, not saved).
        let typed = Self.policy + "define beginn_plus = fm.\n"
        try session.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2], "contentChanges": [["text": typed]]])
        let afterChange = try XCTUnwrap(session.notification("textDocument/publishDiagnostics")["params"] as? [String: Any])
        XCTAssertEqual(afterChange["version"] as? Int, 2)
        let dot = position(of: "= fm.", in: typed, shift: 5)
        let completion = try session.request("textDocument/completion", ["textDocument": ["uri": uri], "position": dot])
        let items = try XCTUnwrap((completion["result"] as? [String: Any])?["items"] as? [[String: Any]])
        let beginn = try XCTUnwrap(items.first { $0["label"] as? String == "beginn" }, "\(items.map { $0["label"] ?? "" })")
        XCTAssertEqual(beginn["detail"] as? String, "date?")
        XCTAssertEqual(beginn["kind"] as? Int, 5)

        // documentSymbol: the outline with ranges.
        let symbols = try XCTUnwrap(session.request("textDocument/documentSymbol", ["textDocument": ["uri": uri]])["result"] as? [[String: Any]])
        XCTAssertEqual(symbols.map { $0["name"] as? String ?? "" }, ["muster", "regeldauer", "ev_frist", "ev.abschluss", "beginn_plus"])
        let rule = try XCTUnwrap(symbols.first { $0["name"] as? String == "ev.abschluss" })
        XCTAssertEqual(range(rule["selectionRange"]), [9, 5, 9, 17])
        XCTAssertEqual(range(rule["range"]), [9, 0, 13, 69])

        // An unknown method, a malformed message: errors, and the server goes on.
        let unknown = try session.request("textDocument/unknownThing", [String: Any]())
        XCTAssertEqual((unknown["error"] as? [String: Any])?["code"] as? Int, -32601)
        session.sendRaw(Data("{not json".utf8))
        let malformed = try session.next()
        XCTAssertEqual((malformed["error"] as? [String: Any])?["code"] as? Int, -32700)
        XCTAssertTrue(malformed["id"] is NSNull)
        try session.notify("textDocument/unknownNotification", [:]) // never answered

        // shutdown → null; exit → status 0.
        let shutdown = try session.request("shutdown", NSNull())
        XCTAssertTrue(shutdown["result"] is NSNull, "\(shutdown)")
        XCTAssertNil(shutdown["error"])
        try session.notify("exit", [:])
        XCTAssertEqual(try session.exitStatus(), 0)
    }

    func testExitWithoutShutdownIsStatusOne() throws {
        let session = try Session(cwd: CommandLineTests.root)
        defer { session.stop() }
        // Before `initialize`, requests are refused.
        let early = try session.request("textDocument/hover", ["textDocument": ["uri": "file:///x.fm"], "position": ["line": 0, "character": 0]])
        XCTAssertEqual((early["error"] as? [String: Any])?["code"] as? Int, -32002)
        try session.notify("exit", [:])
        XCTAssertEqual(try session.exitStatus(), 1)
    }

    func testHelp() throws {
        let r = try CommandLineTests.run(["lsp", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("USAGE: fmpolicy lsp"), r.stdout)
        XCTAssertEqual(try CommandLineTests.run(["lsp", "extra"]).status, 2)
    }
}
