import Foundation
import PolicyRuntime
import XCTest

/// Every input a fuzz target once stopped on (Tests/Fuzz/TARGET/) runs again through the
/// same entry point, so a fixed crash stays fixed.
final class FuzzRegressionTests: XCTestCase {
    func replay(_ target: String, _ entry: (UnsafeBufferPointer<UInt8>, FuzzEntry.Shipped) -> Void) throws {
        let shipped = try XCTUnwrap(FuzzEntry.Shipped(directory: GoldenTests.root + "/policies"))
        let folder = GoldenTests.root + "/Tests/Fuzz/" + target
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for file in files.sorted() {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
            data.withUnsafeBytes { entry($0.bindMemory(to: UInt8.self), shipped) }
        }
    }

    func testPolicySourceInputs() throws { try replay("policy-source") { FuzzEntry.policySource($0, shipped: $1) } }
    func testCaseReaderInputs() throws { try replay("case-reader") { FuzzEntry.caseReader($0, shipped: $1) } }
    func testCheckInputs() throws { try replay("check") { FuzzEntry.check($0, shipped: $1) } }

    /// The seeds run through every target too: the shipped policies, the error corpus, the examples.
    func testSeedsRunThroughEveryTarget() throws {
        let shipped = try XCTUnwrap(FuzzEntry.Shipped(directory: GoldenTests.root + "/policies"))
        var count = 0
        for folder in ["policies", "Tests/Errors/policies", "Tests/Errors/cases", "examples/ilmkreis"] {
            let dir = GoldenTests.root + "/" + folder
            for file in try FileManager.default.contentsOfDirectory(atPath: dir) where !file.hasSuffix(".txt") {
                let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
                data.withUnsafeBytes { raw in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    FuzzEntry.policySource(bytes, shipped: shipped)
                    FuzzEntry.caseReader(bytes, shipped: shipped)
                    FuzzEntry.check(bytes, shipped: shipped)
                }
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 100)
    }
}
