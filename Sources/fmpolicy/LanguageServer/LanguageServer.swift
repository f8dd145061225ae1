import Foundation
import PolicyLang
import PolicyRuntime

/// A JSON-RPC error answer (the protocol's codes).
struct ResponseError: Error {
    let code: Int
    let message: String

    static func invalidParams(_ message: String) -> ResponseError { ResponseError(code: -32602, message: message) }
    static let parseError = -32700
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    static let serverNotInitialized = -32002
}

/// `fmpolicy lsp`: a language server over standard input and output. One thread; each
/// message is handled completely before the next is read. The editor features themselves
/// are library functions of `DocumentAnalysis` (PolicyLang/Editor); this type only keeps
/// the open documents and maps between them and the protocol.
final class LanguageServer {
    struct OpenDocument {
        let uri: String
        let path: String
        var text: String
        var version: JSONValue?
        /// Cleared whenever any open document changes: a base policy's buffer may be part of
        /// this document's chain.
        var analysis: DocumentAnalysis?
    }

    private let transport: MessageTransport
    private let serverVersion: String
    private var workspace: EditorWorkspace
    private var documents: [String: OpenDocument] = [:]
    private var initializeReceived = false
    private var shutdownReceived = false
    private let phases: [DiagnosticPhase]
    private let log: (String) -> Void

    init(transport: MessageTransport, searchPath: [String], version: String, phases: [DiagnosticPhase] = EditorDiagnostics.phases,
         log: @escaping (String) -> Void = { Terminal.err("fmpolicy lsp: \($0)\n") }) {
        self.transport = transport
        self.workspace = EditorWorkspace(searchPath: searchPath)
        self.serverVersion = version
        self.phases = phases
        self.log = log
    }

    /// Serves until `exit` or the end of input. The exit status is 0 only after `shutdown`.
    func run() -> Int32 {
        while true {
            switch transport.read() {
            case .endOfInput(let problem):
                if let problem { log(problem) }
                return shutdownReceived ? 0 : 1
            case .badHeader(let problem):
                log(problem)
            case .message(let text):
                if let status = handle(text) { return status }
            }
        }
    }

    // MARK: dispatch

    /// Handles one message; an exit status when the session is over.
    func handle(_ text: String) -> Int32? {
        let message: JSONValue
        do throws(JSONSyntaxError) {
            message = try JSONValue.parse(text)
        } catch {
            respondError(id: .null, ResponseError(code: ResponseError.parseError, message: "parse error: \(error.message)"))
            return nil
        }
        guard case .object(let members) = message else {
            respondError(id: .null, ResponseError(code: ResponseError.invalidRequest, message: "a message is a JSON object"))
            return nil
        }
        let id = members.first { $0.0 == "id" }?.1
        guard let method = message["method"]?.stringValue else {
            // A response to a request of ours (we send none) needs no answer.
            if id != nil, message["result"] != nil || message["error"] != nil { return nil }
            respondError(id: id ?? .null, ResponseError(code: ResponseError.invalidRequest, message: "a request needs a `method`"))
            return nil
        }
        let params = message["params"] ?? .null
        guard let id else {
            return notify(method, params)
        }
        if !initializeReceived, method != "initialize" {
            respondError(id: id, ResponseError(code: ResponseError.serverNotInitialized, message: "the server is not initialized yet"))
            return nil
        }
        if shutdownReceived {
            respondError(id: id, ResponseError(code: ResponseError.invalidRequest, message: "the server is shutting down"))
            return nil
        }
        do throws(ResponseError) {
            respond(id: id, try request(method, params))
        } catch {
            respondError(id: id, error)
        }
        return nil
    }

    private func request(_ method: String, _ params: JSONValue) throws(ResponseError) -> JSONValue {
        switch method {
        case "initialize":
            initializeReceived = true
            return initializeResult()
        case "shutdown":
            shutdownReceived = true
            return .null
        case "textDocument/hover": return try hover(params)
        case "textDocument/definition": return try definition(params)
        case "textDocument/completion": return try completion(params)
        case "textDocument/documentSymbol": return try documentSymbols(params)
        case "textDocument/formatting": return try formatting(params)
        default:
            throw ResponseError(code: ResponseError.methodNotFound, message: "method not found: \(method)")
        }
    }

    /// Notifications never get an answer, not even an error.
    private func notify(_ method: String, _ params: JSONValue) -> Int32? {
        if method == "exit" { return shutdownReceived ? 0 : 1 }
        guard initializeReceived, !shutdownReceived else { return nil }
        switch method {
        case "textDocument/didOpen":
            guard let doc = params["textDocument"], let uri = doc["uri"]?.stringValue, let text = doc["text"]?.stringValue else {
                log("didOpen without textDocument.uri and text"); return nil
            }
            let path = DocumentURI.path(uri)
            documents[uri] = OpenDocument(uri: uri, path: path, text: text, version: doc["version"])
            workspace.open(path: path, text: text)
            documentsChanged(first: uri)
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.stringValue, documents[uri] != nil,
                  let changes = params["contentChanges"]?.arrayValue else {
                log("didChange of a document that is not open"); return nil
            }
            // Full synchronisation: the last change holds the whole text.
            guard let text = changes.last?["text"]?.stringValue else { return nil }
            documents[uri]!.text = text
            documents[uri]!.version = params["textDocument"]?["version"]
            workspace.open(path: documents[uri]!.path, text: text)
            documentsChanged(first: uri)
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.stringValue, let doc = documents.removeValue(forKey: uri) else { return nil }
            workspace.close(path: doc.path)
            publish(.object([("uri", .string(uri)), ("diagnostics", .array([]))]))
            documentsChanged(first: nil)
        default:
            break // `initialized`, `didSave`, `$/cancelRequest`, `$/setTrace`, … need nothing.
        }
        return nil
    }

    // MARK: documents

    private func documentsChanged(first: String?) {
        for key in documents.keys { documents[key]!.analysis = nil }
        // The changed document first; the others may extend it.
        let order = (first.map { [$0] } ?? []) + documents.keys.sorted().filter { $0 != first }
        for uri in order { publishDiagnostics(uri) }
    }

    private func analysis(_ uri: String) -> DocumentAnalysis? {
        guard let doc = documents[uri] else { return nil }
        if let a = doc.analysis { return a }
        let a = workspace.analyze(path: doc.path, text: doc.text)
        documents[uri]!.analysis = a
        return a
    }

    private func publishDiagnostics(_ uri: String) {
        guard let a = analysis(uri) else { return }
        let diagnostics = a.documentDiagnostics(phases: phases)
            .map { ProtocolMapping.diagnostic($0, lines: a.lines, uriOf: uriOf) }
        var params: [(String, JSONValue)] = [("uri", .string(uri))]
        if let v = documents[uri]?.version, v != .null { params.append(("version", v)) }
        params.append(("diagnostics", .array(diagnostics)))
        publish(.object(params))
    }

    private func publish(_ params: JSONValue) {
        send(.object([("jsonrpc", .string("2.0")), ("method", .string("textDocument/publishDiagnostics")), ("params", params)]))
    }

    /// The URI the editor uses for an open file, else a `file://` URI of its path.
    private func uriOf(_ file: SourceFile) -> String {
        let key = EditorWorkspace.absolute(file.path)
        if let doc = documents.values.first(where: { $0.path == file.path || EditorWorkspace.absolute($0.path) == key }) { return doc.uri }
        return DocumentURI.uri(key)
    }

    /// The document and byte offset a `TextDocumentPositionParams` names.
    private func documentPosition(_ params: JSONValue) throws(ResponseError) -> (DocumentAnalysis, Int) {
        let a = try document(params)
        guard let p = params["position"], let line = p["line"]?.intValue, let character = p["character"]?.intValue else {
            throw .invalidParams("expected `position` with `line` and `character`")
        }
        return (a, a.lines.offset(of: EditorPosition(line: line, character: character)))
    }

    private func document(_ params: JSONValue) throws(ResponseError) -> DocumentAnalysis {
        guard let uri = params["textDocument"]?["uri"]?.stringValue else { throw .invalidParams("expected `textDocument.uri`") }
        if let a = analysis(uri) { return a }
        // Not open: read it from disk, as a client may ask about a file it has not opened.
        let path = DocumentURI.path(uri)
        guard case .success(let source) = workspace.read(path) else { throw .invalidParams("`\(uri)` is not open and cannot be read") }
        return workspace.analyze(path: path, text: source.text)
    }

    // MARK: features

    private func initializeResult() -> JSONValue {
        .object([
            ("capabilities", .object([
                ("positionEncoding", .string("utf-16")),
                ("textDocumentSync", .number("1")),
                ("hoverProvider", .bool(true)),
                ("definitionProvider", .bool(true)),
                ("completionProvider", .object([("triggerCharacters", .array([.string(".")])), ("resolveProvider", .bool(false))])),
                ("documentSymbolProvider", .bool(true)),
                ("documentFormattingProvider", .bool(true)),
            ])),
            ("serverInfo", .object([("name", .string("fmpolicy")), ("version", .string(serverVersion))])),
        ])
    }

    private func hover(_ params: JSONValue) throws(ResponseError) -> JSONValue {
        let (a, offset) = try documentPosition(params)
        guard let h = a.hover(at: offset) else { return .null }
        return .object([
            ("contents", .object([("kind", .string("markdown")), ("value", .string(h.markdown))])),
            ("range", ProtocolMapping.range(a.lines.range(of: h.span))),
        ])
    }

    private func definition(_ params: JSONValue) throws(ResponseError) -> JSONValue {
        let (a, offset) = try documentPosition(params)
        return .array(a.definition(at: offset).map { loc in
            let lines = loc.file === a.file ? a.lines : LineIndex(loc.file)
            return ProtocolMapping.location(uri: uriOf(loc.file), range: lines.range(of: loc.span))
        })
    }

    private func completion(_ params: JSONValue) throws(ResponseError) -> JSONValue {
        let (a, offset) = try documentPosition(params)
        let items = a.completions(at: offset).map { ProtocolMapping.completion($0, lines: a.lines) }
        return .object([("isIncomplete", .bool(false)), ("items", .array(items))])
    }

    private func documentSymbols(_ params: JSONValue) throws(ResponseError) -> JSONValue {
        let a = try document(params)
        return .array(a.tree.symbols().map { ProtocolMapping.symbol($0, lines: a.lines) })
    }

    /// One edit replacing the whole text when the formatter changes it.
    private func formatting(_ params: JSONValue) throws(ResponseError) -> JSONValue {
        let a = try document(params)
        guard let formatted = EditorFormatting.format(a), formatted != a.file.text else { return .array([]) }
        let whole = a.lines.range(of: Span(0, a.file.bytes.count))
        return .array([.object([("range", ProtocolMapping.range(whole)), ("newText", .string(formatted))])])
    }

    // MARK: output

    private func respond(id: JSONValue, _ result: JSONValue) {
        send(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]))
    }

    private func respondError(id: JSONValue, _ error: ResponseError) {
        send(.object([("jsonrpc", .string("2.0")), ("id", id),
                      ("error", .object([("code", .number(String(error.code))), ("message", .string(error.message))]))]))
    }

    private func send(_ value: JSONValue) { transport.write(JSONWriter.compact(value)) }
}
