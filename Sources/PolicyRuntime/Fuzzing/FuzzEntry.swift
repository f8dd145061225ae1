import PolicyLang

/// What the fuzz targets run on each input. Kept in the library so the test suite replays
/// every input that once crashed through exactly the same code.
public enum FuzzEntry {
    /// The shipped schema and policies, loaded once.
    public final class Shipped: @unchecked Sendable {
        public let policies: [CheckedPolicy]
        public let schema: CaseSchema
        let schemaTree: SyntaxTree
        let baseline: SyntaxTree
        /// One keeping every field, and one per policy keeping what it reads.
        let caseReaders: [CaseDecoder]
        /// The staff of `sampleCases`, read once (a staff file's records live as long as the process).
        let sampleStaff: [RecordValue]
        /// Kept from input to input, as a batch worker keeps it from case to case.
        let dates = DateCache()

        public init?(directory: String) {
            let library = PolicyLibrary(searchPath: [directory])
            let loaded = ["ilmkreis", "hannover", "berlin", "kkm"].compactMap { library.load($0).policy }
            guard loaded.count == 4, case .success(let schemaSource) = PolicyLibrary.readSource(directory + "/case.fm"),
                  case .success(let ba) = PolicyLibrary.readSource(directory + "/ba.fm") else { return nil }
            policies = loaded
            schema = loaded[0].schema
            schemaTree = Parser.parse(schemaSource).tree
            baseline = Parser.parse(ba).tree
            caseReaders = [CaseDecoder(schema: schema)] + loaded.map { CaseDecoder(schema: $0.schema, policy: $0) }
            let staffReader = CaseDecoder(schema: loaded[0].schema)
            guard let staff = try? Array(FuzzEntry.sampleStaff.utf8).withUnsafeBufferPointer({ try staffReader.decodeStaff($0) })
            else { return nil }
            sampleStaff = staff
        }
    }

    /// The shipped policies for a fuzz target: `FMPOLICY_FUZZ_POLICIES`, else `./policies`.
    public static func shippedFromEnvironment(_ environment: [String: String]) -> Shipped {
        let directory = environment["FMPOLICY_FUZZ_POLICIES"] ?? "policies"
        guard let s = Shipped(directory: directory) else { fatalError("cannot load the shipped policies from \(directory)") }
        return s
    }

    /// A fuzz target built without libFuzzer: runs each named file once.
    public static func replay(_ paths: [String], read: (String) -> [UInt8]?, through entry: (UnsafeBufferPointer<UInt8>) -> Void) {
        for path in paths {
            guard let bytes = read(path) else { print("cannot read \(path)"); continue }
            bytes.withUnsafeBufferPointer(entry)
            print("ok \(path)")
        }
    }

    /// Parse and check a policy text written as if it stood beside the shipped policies: the
    /// text extends `ba` when it says so.
    public static func policySource(_ bytes: UnsafeBufferPointer<UInt8>, shipped: Shipped) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let file = SourceFile(path: "fuzz.fm", text: text)
        let parsed = Parser.parse(file)
        var diagnostics = parsed.diagnostics
        var checked: CheckedPolicy?
        if parsed.tree.header?.kind == .schema {
            diagnostics += SchemaValidation.diagnostics(parsed.tree)
        } else {
            var layers = [PolicyLayer(tree: parsed.tree)]
            // The shipped baseline, so that `extends ba` has something to extend.
            if parsed.tree.header?.extends?.text == "ba" { layers.insert(PolicyLayer(tree: shipped.baseline), at: 0) }
            let (policy, found) = PolicyChecker.check(schema: shipped.schema, schemaTree: shipped.schemaTree, layers: layers)
            diagnostics += found
            checked = policy
        }
        // Rendering must hold for any span the phases produce.
        _ = DiagnosticRenderer().render(diagnostics)
        if let checked { run(checked, shipped: shipped) }
    }

    /// A policy that checks also runs: its arithmetic, lists and messages over cases of the
    /// shapes a caseload has, single (with `--explain`) and as a caseload with its caseload rules.
    /// (A duration of 9,000,000,000,000,000,000 years once crashed here, not in the checker.)
    private static func run(_ policy: CheckedPolicy, shipped: Shipped) {
        var options = CheckOptions()
        options.today = CalendarDate(year: 2025, month: 3, day: 1)!
        options.ignoreInForce = true
        let stream = CaseStream(policy: policy, options: options, countsCaseload: true)
        var statistics = RunStatistics()
        var tally = CaseloadTally()
        var out: [UInt8] = []
        for (number, line) in sampleCases.enumerated() {
            Array(line.utf8).withUnsafeBufferPointer { bytes in
                stream.check(line: bytes, number: number + 1, into: &out, statistics: &statistics, tally: &tally)
                guard let decoded = try? CaseDecoder(schema: policy.schema, policy: policy).decode(bytes) else { return }
                options.explain = true
                let result = CaseChecker(policy: policy).check(decoded, options: options)
                _ = FindingsWriter.text(result)
                _ = FindingsWriter.json(result)
            }
        }
        _ = stream.caseloadLines(staff: shipped.sampleStaff, tally: tally, stichtag: options.today)
    }

    /// Cases of the shapes a caseload has: long in care with every list, ended in a leap year's
    /// February, never in case management and without a Stichtag of its own.
    static let sampleCases = [
        #"{"id":"F-1","stichtag":"2025-03-01","person":{"geburtsdatum":"2001-03-02","rechtskreis":"SGB2","arbeitslos":true,"profillage":"entwicklungsprofil","integration_12_monate":false},"handlungsbedarfe":[{"schluesselgruppe":"leistungsfaehigkeit","bezeichnung":"x","verfestigt":true},{"schluesselgruppe":"rahmenbedingungen","verfestigt":false}],"zugangspruefungen":[{"datum":"2021-05-01","ergebnis":"zugang","begruendung":"x"}],"fallmanagement":{"fallmanager":"FM-1","clearing_beginn":"2021-05-10","beginn":"2021-07-01","zugangsart":"einzelfall","betreuung":"haupt","fortfuehrungspruefungen":[{"datum":"2022-01-03","tl_informiert":true,"tl_zustimmung":false}],"eingliederungsvereinbarungen":[{"datum":"2021-08-01"}]},"fruehere_betreuungen":[{"beginn":"2018-01-01","ende":"2020-12-31","beendigungsgrund":"sonstiges"}],"arbeitsaufnahme_seit_ende":false,"kontakte":[{"datum":"2025-02-01","art":"beratungsvermerk","rechtskreis":"SGB2"},{"datum":"2024-12-24","art":"telefonat","rechtskreis":"SGB3"}]}"#,
        #"{"id":"F-2","stichtag":"2024-02-29","person":{"geburtsdatum":"1960-02-29"},"fallmanagement":{"fallmanager":"FM-2","clearing_beginn":"2024-01-31","beginn":"2023-01-31","ende":"2024-01-31","beendigungsgrund":"hoechstdauer"}}"#,
        #"{"id":"F-3","person":{"geburtsdatum":"9999-12-31"},"fallmanagement":{"fallmanager":"FM-3","clearing_beginn":"0001-01-01"}}"#,
    ]
    static let sampleStaff = #"{"fallmanager":[{"id":"FM-1","stellenanteil":0.5,"team":"A"},{"id":"FM-2","stellenanteil":1}]}"#

    /// Read a case; whatever the bytes, the result is a case or one error, and the fast
    /// reader agrees with the full one (keeping every field, and keeping what each policy reads).
    public static func caseReader(_ bytes: UnsafeBufferPointer<UInt8>, shipped: Shipped) {
        _ = try? CaseDecoder(schema: shipped.schema).decode(bytes)
        for reader in shipped.caseReaders {
            precondition(reader.readersAgree(on: bytes, dates: shipped.dates), "the fast and the full case reader disagree")
            precondition(reader.readersAgree(on: bytes, asOf: CalendarDate(year: 2024, month: 1, day: 1)), "the fast and the full case reader disagree")
        }
        _ = try? CaseDecoder(schema: shipped.schema).decodeStaff(bytes)
        _ = try? JSONValue.parse(bytes)
    }

    /// Check the bytes as a case line against every shipped policy, as a caseload does.
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>, shipped: Shipped) {
        for policy in shipped.policies {
            var options = CheckOptions()
            options.today = CalendarDate(year: 2025, month: 3, day: 1)!
            let stream = CaseStream(policy: policy, options: options, countsCaseload: true)
            var statistics = RunStatistics()
            var tally = CaseloadTally()
            var out: [UInt8] = []
            stream.check(line: bytes, number: 1, into: &out, statistics: &statistics, tally: &tally)
            _ = stream.caseloadLines(staff: [], tally: tally, stichtag: options.today)
            if case .success(let decoded) = Result(catching: { try CaseDecoder(schema: policy.schema).decode(bytes) }) {
                options.explain = true
                _ = FindingsWriter.text(CaseChecker(policy: policy).check(decoded, options: options))
            }
        }
    }
}
