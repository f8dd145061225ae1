/// Why a case could not be read. It names where (the JSON path, and the line and column
/// of the file) but never the value of a field: cases hold social data.
public struct CaseReadError: Error, Sendable, Equatable {
    /// `fallmanagement.fortfuehrungspruefungen[2].datum`; empty for the document itself.
    public let path: String
    public let message: String
    /// Byte offset in the input, for line and column.
    public let offset: Int
    /// The case id, when it was read before the problem.
    public var caseID: String?

    public init(path: String, message: String, offset: Int, caseID: String? = nil) {
        self.path = path; self.message = message; self.offset = offset; self.caseID = caseID
    }

    /// "`person.geburtsdatum`: is missing", or the message alone for the whole document.
    public var description: String { path.isEmpty ? message : "`\(path)`: \(message)" }

    /// The error as `check` prints it: `cannot read case FILE:LINE:COLUMN: …`.
    public func rendered(file: String, bytes: UnsafeBufferPointer<UInt8>) -> String {
        let (line, column) = JSONScanner.lineAndColumn(of: offset, in: bytes)
        return "cannot read case \(file):\(line):\(column): \(description)"
    }
}
