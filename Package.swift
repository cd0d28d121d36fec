// swift-tools-version: 6.2
import PackageDescription

/// `MCPLOAD_FUZZ=1` (scripts/fuzz): our own targets with libFuzzer's coverage and
/// AddressSanitizer, dependencies as they are, and `mcpload-fuzz` linked against libFuzzer.
let fuzzing = Context.environment["MCPLOAD_FUZZ"] != nil
let fuzzFlags: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"]), .define("FUZZING")] : []

/// Every target of ours builds in Swift 6 mode with warnings as errors: a warning
/// ignored today is a bug shipped tomorrow.
let strictSettings: [SwiftSetting] =
    [
        .swiftLanguageMode(.v6),
        .treatAllWarnings(as: .error),
    ] + fuzzFlags

let package = Package(
    name: "mcpload",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mcpload", targets: ["mcpload"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // TLS for our own HTTP/1.1 connections; already in the graph through AsyncHTTPClient.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Arrays of atomic counters (the live progress histogram); already in the graph through NIO.
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        // ES256 for OAuth's private_key_jwt (RFC 7523): signing client assertions, and the demo
        // authorization server verifying them. Already in the graph through swift-certificates.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // JSON values, their parser and writer, and JSON-RPC messages: what the client and the
        // demo server both speak, with no dependency of its own.
        .target(name: "MCPLoadJSONRPC", swiftSettings: strictSettings),
        .target(
            name: "MCPLoadCore",
            dependencies: [
                "MCPLoadJSONRPC",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSettings
        ),
        // epoll for the process-exit watcher (Swift's Glibc module leaves it out).
        .target(name: "CMCPLoadSystem"),
        .target(
            name: "MCPLoadTransport",
            dependencies: [
                "MCPLoadCore",
                "MCPLoadJSONRPC",
                "CMCPLoadSystem",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MCPLoadEngine",
            dependencies: [
                "MCPLoadCore",
                "MCPLoadJSONRPC",
                "MCPLoadTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MCPLoadReport",
            dependencies: ["MCPLoadCore", "MCPLoadJSONRPC"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MCPLoadDemoServer",
            dependencies: [
                "MCPLoadCore",
                "MCPLoadJSONRPC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mcpload",
            dependencies: [
                "MCPLoadCore",
                "MCPLoadJSONRPC",
                "MCPLoadTransport",
                "MCPLoadEngine",
                "MCPLoadReport",
                "MCPLoadDemoServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Fuzzing: every parser of outside input as a libFuzzer target (scripts/fuzz).
        .target(
            name: "MCPLoadFuzz",
            dependencies: [
                "MCPLoadCore",
                "MCPLoadJSONRPC",
                "MCPLoadTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "mcpload-fuzz",
            dependencies: ["MCPLoadFuzz", "CLibFuzzer"],
            swiftSettings: strictSettings,
            linkerSettings: fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []
        ),
        .testTarget(
            name: "MCPLoadCoreTests",
            dependencies: ["MCPLoadCore", "MCPLoadJSONRPC"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MCPLoadTransportTests",
            dependencies: [
                "MCPLoadTransport",
                "MCPLoadJSONRPC",
                "MCPLoadFuzz",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MCPLoadEngineTests",
            // Depends on the executable so `swift test` builds the `mcpload` binary that
            // the end-to-end tests spawn as a real stdio server.
            dependencies: [
                "MCPLoadEngine", "MCPLoadJSONRPC", "MCPLoadReport", "mcpload",
                // Reads back the Kubernetes manifests mcpload prints.
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MCPLoadReportTests",
            dependencies: ["MCPLoadReport", "MCPLoadJSONRPC"],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
    ]
)
