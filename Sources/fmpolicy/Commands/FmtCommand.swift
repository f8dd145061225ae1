import Foundation
import PolicyLang

enum FmtCommand {
    static let help = """
    Rewrite policy files in the canonical layout, keeping every comment where it stands.

    USAGE: fmpolicy fmt [--check | --stdout] [--keywords en|de] FILE.fm...
           fmpolicy fmt [--keywords en|de] -        (standard input to standard output)

      Each file is rewritten in place (through a temporary file in the same folder, then
      renamed); a file that is already formatted is not touched. A file with syntax errors
      is left as it is and its errors are printed. A file's language is named by its first
      word: `policy`/`schema` (English) or `richtlinie`/`datenschema` (German).

    OPTIONS:
      --check            rewrite nothing; list the files that would change
      --stdout           print the formatted text instead of rewriting the files
      --keywords en|de   convert the keywords to English or German (default: keep the file's);
                         a name that is a keyword in the other language stops it (E0101)
      --help             show this help

    EXIT STATUS: 0 done (with --check: every file is formatted) · 1 with --check: a file
                 would change · 2 a file cannot be read or has syntax errors, or a usage error
    """

    enum Mode { case rewrite, check, stdout }

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: ["--keywords"], switchFlags: ["--check", "--stdout", "--help"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        guard !args.operands.isEmpty else { throw UsageError("`fmt` needs one or more `.fm` files, or `-` for standard input") }
        if args.has("--check"), args.has("--stdout") { throw UsageError("`--check` and `--stdout` exclude each other") }
        var keywords: KeywordSet?
        if let name = args.value("--keywords") {
            guard let set = KeywordSet.named(name) else {
                throw UsageError("`--keywords` is `en` or `de`, found `\(name)`")
            }
            keywords = set
        }
        if args.operands.contains("-"), args.operands.count > 1 || args.has("--check") {
            throw UsageError("`-` (standard input) stands alone and prints to standard output")
        }
        let mode: Mode = args.has("--check") ? .check : args.has("--stdout") || args.operands == ["-"] ? .stdout : .rewrite
        let formatter = SourceFormatter(keywords: keywords)
        let renderer = DiagnosticRenderer(colored: Terminal.stderrColored)
        var status = ExitCode.ok
        for path in args.operands {
            let source: SourceFile
            if path == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                guard let text = String(validating: data, as: UTF8.self) else {
                    Terminal.error("standard input is not UTF-8 text")
                    return ExitCode.unusableInput
                }
                source = SourceFile(path: "<stdin>", text: text)
            } else {
                switch PolicyLibrary.readSource(path) {
                case .success(let s): source = s
                case .failure(let d):
                    Terminal.err(renderer.render(d))
                    status = ExitCode.unusableInput
                    continue
                }
            }
            let formatted: String
            switch formatter.format(source) {
            case .success(let text): formatted = text
            case .failure(let errors):
                Terminal.err(renderer.render(errors.diagnostics))
                Terminal.error("`\(source.path)` was left as it is")
                status = ExitCode.unusableInput
                continue
            }
            switch mode {
            case .stdout:
                Terminal.out(formatted)
            case .check:
                if formatted != source.text {
                    Terminal.out("\(path)\n")
                    if status == ExitCode.ok { status = ExitCode.findingErrors }
                }
            case .rewrite:
                guard formatted != source.text else { continue }
                do {
                    try replace(path, with: formatted)
                    Terminal.out("formatted \(path)\n")
                } catch {
                    Terminal.error("cannot write `\(path)`: \(error.localizedDescription)")
                    status = ExitCode.unusableInput
                }
            }
        }
        return status
    }

    /// Writes `text` to a temporary file beside `path` and renames it over `path`, so the
    /// file is never seen half written. The file keeps its permissions.
    static func replace(_ path: String, with text: String) throws {
        // Through a link, the file it points to is replaced, not the link.
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).fmt-\(ProcessInfo.processInfo.processIdentifier)")
        let fm = FileManager.default
        let permissions = (try? fm.attributesOfItem(atPath: url.path))?[.posixPermissions]
        do {
            try Data(text.utf8).write(to: temporary)
            if let permissions { try fm.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path) }
            guard rename(temporary.path, url.path) == 0 else {
                throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? fm.removeItem(at: temporary)
            throw error
        }
    }
}
