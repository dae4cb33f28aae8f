// swift-tools-version:6.0
// trunkbox: firmware for a SIP trunk gateway box (PBX <-> Skype Connect trunk, plus an analog line).
import PackageDescription

// One system-library target per C library the box links; each names its Debian package so a
// missing library says which package to install.
func systemLibrary(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt(apt)])
}

let package = Package(
    name: "trunkbox",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "trunkbox", targets: ["trunkbox"]),
        .library(name: "SIPCore", targets: ["SIPCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        systemLibrary("COpenSSL", pkgConfig: "openssl", apt: ["libssl-dev"]),
        systemLibrary("CSRTP", pkgConfig: "libsrtp2", apt: ["libsrtp2-dev"]),
        systemLibrary("CALSA", pkgConfig: "alsa", apt: ["libasound2-dev"]),
        systemLibrary("CGPIOD", pkgConfig: "libgpiod", apt: ["libgpiod-dev"]),
        systemLibrary("CSQLite", pkgConfig: "sqlite3", apt: ["libsqlite3-dev"]),
        // Static inline wrappers for C macros Swift cannot import.
        .target(name: "CShim", dependencies: ["COpenSSL", "CSRTP", "CALSA", "CGPIOD", "CSQLite"]),
        // Declares libFuzzer's driver entry point for the fuzz executables.
        .target(name: "CFuzzerDriver"),

        // Pure SIP: messages, URIs, typed headers, SDP, digest maths. No I/O, no clock, no dependencies.
        .target(name: "SIPCore"),

        .executableTarget(
            name: "trunkbox",
            dependencies: [
                "SIPCore", "CShim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // libFuzzer targets: build with -sanitize=fuzzer -DFUZZING (scripts/fuzz); otherwise they replay files.
//        .executableTarget(name: "fuzz-sip-message", dependencies: ["SIPCore", "CFuzzerDriver"], path: "Fuzz/sip-message"),
//        .executableTarget(name: "fuzz-sip-stream", dependencies: ["SIPCore", "CFuzzerDriver"], path: "Fuzz/sip-stream"),
//        .executableTarget(name: "fuzz-sdp", dependencies: ["SIPCore", "CFuzzerDriver"], path: "Fuzz/sdp"),

        // Parse+serialize throughput, run side by side with libosip2 by Benchmarks/sip-parse/run.
//        .executableTarget(name: "sip-bench", dependencies: ["SIPCore"], path: "Benchmarks/sip-parse/swift"),

        .testTarget(name: "SIPCoreTests", dependencies: ["SIPCore"]),
    ],
    swiftLanguageModes: [.v6]
)
