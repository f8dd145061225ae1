// swift-tools-version:6.3
import PackageDescription

let package = Package(
    name: "fmpolicy",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fmpolicy", targets: ["fmpolicy"]),
        .library(name: "PolicyLang", targets: ["PolicyLang"]),
        .library(name: "PolicyRuntime", targets: ["PolicyRuntime"]),
    ],
    dependencies: [],
    targets: [
        // source text → tokens → syntax tree → checked policy
        .target(name: "PolicyLang"),
        // checked policy + case JSON → findings
        .target(name: "PolicyRuntime", dependencies: ["PolicyLang"]),
        // The shipped policies travel with the binary (Resources/policies links to policies/).
        .executableTarget(name: "fmpolicy", dependencies: ["PolicyLang", "PolicyRuntime"],
                          resources: [.copy("Resources/policies")]),
        // libFuzzer targets (docs/robustness.md); built normally they replay inputs.
        .executableTarget(name: "FuzzPolicySource", dependencies: ["PolicyRuntime"], path: "Fuzz/FuzzPolicySource"),
        .executableTarget(name: "FuzzCaseReader", dependencies: ["PolicyRuntime"], path: "Fuzz/FuzzCaseReader"),
        .executableTarget(name: "FuzzCheck", dependencies: ["PolicyRuntime"], path: "Fuzz/FuzzCheck"),
        .testTarget(name: "PolicyLangTests", dependencies: ["PolicyLang"]),
        .testTarget(name: "PolicyRuntimeTests", dependencies: ["PolicyLang", "PolicyRuntime"]),
        // Runs the built `fmpolicy` binary as a user would.
        .testTarget(name: "EndToEndTests", dependencies: ["fmpolicy"]),
    ]
)
