// swift-tools-version: 6.0
import PackageDescription

// Release builds of the modules on the tick and packet paths leave out the runtime exclusivity check (every
// access to a class's stored property or a global registered and looked up in a per-thread set: ~20 per
// snapshot in a zone, 2% of its CPU at 500 bots). The compiler's static checks stay, and debug builds (the
// tests) keep the runtime check, so an overlapping access is still caught where it can be.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Seam",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "seam", targets: ["seam"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libenet from the system (apt: libenet-dev). A module map and one shim header, no logic.
        .systemLibrary(
            name: "CENet",
            pkgConfig: "libenet",
            providers: [.apt(["libenet-dev"])]
        ),
        // ENet's memory: free lists of the calling thread by size class (C for its thread-local storage); and
        // a cache prefetch hint for the zone's per-connection pass.
        .target(name: "CSeamBlocks", cSettings: [.unsafeFlags(["-O2"])]),
        // ENet's socket layer in batches: its platform send, receive and wait functions, defined here and
        // called by libenet in place of its own (sendmmsg and recvmmsg for many datagrams at a time).
        .target(name: "CSeamSockets", dependencies: ["CENet"], cSettings: [.unsafeFlags(["-O2"])]),
        // The only Swift module that touches ENet.
        .target(name: "SeamNet", dependencies: ["CENet", "CSeamBlocks", "CSeamSockets"], swiftSettings: hotPath),
        .target(name: "SeamProtocol", swiftSettings: hotPath),
        .target(name: "SeamWorld"),
        .target(name: "SeamSimulation", dependencies: ["SeamWorld", "SeamProtocol"], swiftSettings: hotPath),
        .target(
            name: "SeamZone",
            dependencies: [
                "SeamNet", "SeamProtocol", "SeamWorld", "SeamSimulation", "CSeamBlocks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "SeamBots",
            dependencies: [
                "SeamNet", "SeamProtocol", "SeamWorld",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: hotPath
        ),
        // Reading journals: timelines, per-border statistics, following live files.
        .target(name: "SeamLogs", dependencies: ["SeamProtocol"]),
        // The independent checker: invariants over journal records, offline or live.
        .target(name: "SeamReferee", dependencies: ["SeamProtocol", "SeamNet"]),
        // The network simulator: a UDP relay with latency, jitter, loss, duplication and reordering (plain POSIX
        // sockets; it relays ENet's datagrams byte for byte and never speaks ENet).
        .target(name: "SeamNetSim", dependencies: ["SeamWorld"]),
        // Test support: free ports, a manual clock, zone processes started and stopped by tests.
        .target(name: "SeamTesting", dependencies: ["SeamWorld", "SeamNet", "SeamProtocol"]),
        .executableTarget(
            name: "seam",
            dependencies: [
                "SeamZone", "SeamBots", "SeamWorld", "SeamProtocol", "SeamLogs", "SeamReferee", "SeamNet", "SeamNetSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SeamNetTests", dependencies: ["SeamNet", "CSeamBlocks", "CSeamSockets", "SeamTesting"]),
        .testTarget(name: "SeamProtocolTests", dependencies: ["SeamProtocol", "SeamTesting", "SeamWorld"]),
        .testTarget(name: "SeamWorldTests", dependencies: ["SeamWorld", "SeamTesting"]),
        .testTarget(name: "SeamSimulationTests", dependencies: ["SeamSimulation", "SeamWorld", "SeamTesting"]),
        .testTarget(
            name: "SeamZoneTests",
            dependencies: ["SeamZone", "SeamBots", "SeamNet", "SeamProtocol", "SeamTesting"]
        ),
        .testTarget(name: "SeamCLITests", dependencies: ["SeamTesting"]),
        .testTarget(name: "SeamLogsTests", dependencies: ["SeamLogs", "SeamTesting"]),
        .testTarget(name: "SeamRefereeTests", dependencies: ["SeamReferee"]),
        .testTarget(
            name: "SeamNetSimTests",
            dependencies: ["SeamNetSim", "SeamWorld", "SeamNet", "SeamProtocol", "SeamTesting"]
        ),
        .testTarget(name: "SeamBotsTests", dependencies: ["SeamBots", "SeamNet", "SeamProtocol", "SeamWorld"]),
    ],
    swiftLanguageModes: [.v6]
)
