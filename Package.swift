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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
    ],
    targets: [
        systemLibrary("COpenSSL", pkgConfig: "libcrypto", apt: ["libssl-dev"]),
        systemLibrary("CSRTP", pkgConfig: "libsrtp2", apt: ["libsrtp2-dev"]),
        systemLibrary("CALSA", pkgConfig: "alsa", apt: ["libasound2-dev"]),
        systemLibrary("CGPIOD", pkgConfig: "libgpiod", apt: ["libgpiod-dev"]),
        systemLibrary("CSQLite", pkgConfig: "sqlite3", apt: ["libsqlite3-dev"]),
        systemLibrary("CBCG729", pkgConfig: "libbcg729", apt: ["libbcg729-dev"]),
        systemLibrary("CSpanDSP", pkgConfig: "spandsp", apt: ["libspandsp-dev"]),
        systemLibrary("CSpeexDSP", pkgConfig: "speexdsp", apt: ["libspeexdsp-dev"]),
        // Static inline wrappers for C macros Swift cannot import.
        .target(name: "CShim", dependencies: ["COpenSSL", "CSRTP", "CALSA", "CGPIOD", "CSQLite"]),
        // Declares libFuzzer's driver entry point for the fuzz executables.
        .target(name: "CFuzzerDriver"),
        // Shared by the fuzz executables: input display and file replay.
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], path: "Sources/FuzzSupport"),

        // Pure SIP: messages, URIs, typed headers, SDP, digest maths. No I/O, no clock, no dependencies.
        .target(name: "SIPCore"),
        // Pure SIP state machines (no I/O, no clock): transactions (RFC 3261 §17, RFC 6026).
        .target(name: "SIPTransaction", dependencies: ["SIPCore"]),
        // DNS wire codec and RFC 3263 server location (SRV, A/AAAA, fail-over), pure.
        .target(name: "SIPLocator"),
        // Trunk registration client, one per Skype Connect profile (RFC 3261 §10, §22).
        .target(name: "SIPRegistration", dependencies: ["SIPCore"]),

        // Pure media core: RTP/RTCP wire format, G.711, RFC 4733, receiver stats, E-model, port allocator, jitter buffer. Stdlib only.
        .target(name: "MediaCore"),
        // The realtime RTP/SRTP relay: the media thread (no allocation, lock or log in steady state), SPSC queues, SRTP,
        // transcoding G.711 <-> G.729 (bcg729) when the legs share no codec, and the analog line's ALSA audio on the same thread.
        .target(name: "Media", dependencies: [
            "MediaCore", "CSRTP", "CShim", "COpenSSL", "CBCG729", "CALSA", "LineDSP",
            .product(name: "Atomics", package: "swift-atomics"),
        ]),
        // Test support: a malloc interposer counting the allocations of registered threads.
        .target(name: "CAllocCounter"),
        // Codecs over C libraries (G.729 through bcg729) and tone measurement, allocation-free per frame.
        .target(name: "MediaCodecs", dependencies: ["CBCG729"]),
        // Telephony DSP for the analog line (spandsp, speexdsp): DTMF both ways, call progress, caller ID,
        // echo cancelling, resampling. One period of 8 kHz PCM per call, no allocation after init.
        .target(name: "LineDSP", dependencies: ["CSpanDSP", "CSpeexDSP"]),

        // The analog line's logic (pure, stdlib only): ring detection, the FXO line state machine, reset button, LEDs, board profiles.
        .target(name: "LineCore"),
        // The analog line on hardware: GPIO backends (libgpiod v1, simulated) and the controller binding them to LineCore. No NIO.
        .target(name: "Line", dependencies: ["LineCore", "CGPIOD", "Config"]),

        // Versioned config, call records and settings in one crash-safe SQLite file (docs/architecture.md §5).
        .target(name: "Store", dependencies: ["CSQLite", "CShim", "COpenSSL"]),
        // Drives Store for the kill -9 crash test (Tests/store/crash.sh).
        .executableTarget(name: "store-torture", dependencies: ["Store"]),

        // The config language: model, parser, serializer, validation, diff. Pure.
        .target(name: "Config"),
        // The installer's console: command grammar, line editor, pager, login, terminals and the local socket.
        .target(name: "Console", dependencies: ["COpenSSL"]),
        // The appliance's control side: the running config and its versions, candidate editing, the console's view of the box.
        .target(name: "Gateway", dependencies: ["Config", "Store", "Console"]),

        // Transports (UDP/TCP/TLS) and the drivers that run the state machines on a NIO event loop.
        .target(name: "SIPStack", dependencies: [
            "SIPCore", "SIPTransaction", "SIPRegistration", "SIPLocator",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),

        // Call-routing rules (pure): number normalisation, emergency numbers, routes, caller ID, DID mapping, channels, billing.
        .target(name: "CallPolicy", dependencies: ["Config"]),

        // The media-anchoring B2BUA's SDP (pure): offers and answers per leg, SRTP (SDES) keys, payload-type pairs.
        .target(name: "CallMedia", dependencies: ["SIPCore"]),

        // The B2BUA: routes calls between the PBX and the trunk, relays dialogs, anchors media, writes call records.
        .target(name: "Calls", dependencies: [
            "SIPCore", "SIPTransaction", "SIPStack", "Media", "MediaCore", "Config", "Store", "CallPolicy", "CallMedia", "LineCore",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),

        // The Skype Connect trunk emulator's rules (pure): config file, accounts, billing, caller ID, report.
        .target(name: "TrunkEmulatorCore"),
        // The Skype Connect trunk emulator on the wire: registrar, calls, a far end with tone/echo/DTMF, control socket.
        .target(name: "TrunkEmulator", dependencies: [
            "TrunkEmulatorCore", "SIPCore", "SIPTransaction", "SIPStack", "Media", "MediaCore", "MediaCodecs", "CShim",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),

        .executableTarget(
            name: "trunkbox",
            dependencies: [
                "SIPCore", "SIPStack", "SIPRegistration", "SIPTransaction", "CShim", "Calls", "Media",
                "Config", "Console", "Gateway", "Store", "TrunkEmulator", "TrunkEmulatorCore", "Line", "LineCore", "LineDSP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // libFuzzer targets: build with -sanitize=fuzzer -DFUZZING (scripts/fuzz); otherwise they replay files.
        .executableTarget(name: "fuzz-sip-message", dependencies: ["SIPCore", "FuzzSupport"], path: "Fuzz/sip-message"),
        .executableTarget(name: "fuzz-sip-stream", dependencies: ["SIPCore", "FuzzSupport"], path: "Fuzz/sip-stream"),
        .executableTarget(name: "fuzz-sdp", dependencies: ["SIPCore", "FuzzSupport"], path: "Fuzz/sdp"),
        .executableTarget(name: "fuzz-config", dependencies: ["Config", "FuzzSupport"], path: "Fuzz/config"),
        .executableTarget(name: "fuzz-console", dependencies: ["Console", "FuzzSupport"], path: "Fuzz/console"),
        .executableTarget(name: "fuzz-b2b-sdp", dependencies: ["CallMedia", "SIPCore", "FuzzSupport"], path: "Fuzz/b2b-sdp"),
        .executableTarget(name: "fuzz-board-profile", dependencies: ["LineCore", "FuzzSupport"], path: "Fuzz/board-profile"),

        // Types a golden transcript into `trunkbox console` on a pty (Tests/cli/console-box.sh).
        .executableTarget(name: "console-play", dependencies: ["Console"], path: "Tests/cli/console-play"),

        // Parse+serialize throughput, run side by side with libosip2 by Benchmarks/sip-parse/run.
        .executableTarget(name: "sip-bench", dependencies: ["SIPCore"], path: "Benchmarks/sip-parse/swift"),
        // The media engine as the relay under test in Benchmarks/media/run.
        .executableTarget(name: "media-bench", dependencies: ["Media"], path: "Benchmarks/media/swift"),
        // The media thread's CPU per packet, plain relay against PCMU <-> G.729 transcoding (Benchmarks/media/transcode).
        .executableTarget(name: "media-transcode-bench", dependencies: ["Media", "MediaCodecs", "MediaCore"], path: "Benchmarks/media/transcode"),

        .testTarget(name: "SIPCoreTests", dependencies: ["SIPCore"]),
        .testTarget(name: "SIPTransactionTests", dependencies: ["SIPTransaction", "SIPCore"]),
        .testTarget(name: "SIPRegistrationTests", dependencies: ["SIPRegistration", "SIPCore"]),
        .testTarget(name: "SIPLocatorTests", dependencies: ["SIPLocator"]),
        .testTarget(name: "MediaCoreTests", dependencies: ["MediaCore"]),
        .testTarget(name: "MediaCodecsTests", dependencies: ["MediaCodecs"]),
        // Signal generators the line tests share (written from the published formats, independent of LineDSP).
        .target(name: "LineTestSupport", path: "Tests/LineTestSupport"),
        .testTarget(name: "LineDSPTests", dependencies: ["LineDSP", "LineTestSupport", "CAllocCounter"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "MediaCore", "MediaCodecs", "LineDSP", "LineTestSupport", "CAllocCounter", "CSRTP", "CShim", "COpenSSL"]),
        .testTarget(name: "LineCoreTests", dependencies: ["LineCore"]),
        .testTarget(name: "LineTests", dependencies: ["Line", "LineCore", "Config"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "CSQLite"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "CallPolicyTests", dependencies: ["CallPolicy", "Config"]),
        .testTarget(name: "CallMediaTests", dependencies: ["CallMedia", "SIPCore"]),
        .testTarget(name: "CallsTests", dependencies: [
            "Calls", "CallMedia", "Config", "SIPCore", "SIPStack", "SIPTransaction", "Store", "Media", "MediaCore",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "Config", "Store", "Console"]),
        .testTarget(name: "TrunkEmulatorTests", dependencies: [
            "TrunkEmulatorCore", "TrunkEmulator", "SIPStack",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "SIPStackTests", dependencies: [
            "SIPStack", "SIPTransaction",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
