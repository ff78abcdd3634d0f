// swift-tools-version: 6.1
// Tokenscope: an interactive terminal explorer that runs a real language model in pure Swift.
import PackageDescription

// MARK: - Settings shared by every Swift target

/// Release builds are whole-module optimised (SwiftPM's default for `-c release`, stated here so it
/// survives a change of defaults); every target builds in the Swift 6 language mode.
/// The kernels need AVX2, FMA and F16C (x86-64-v3): without them `SIMD.addProduct` becomes a libm
/// call per lane. Set TOKENSCOPE_GENERIC_CPU=1 to build for older x86-64 or other architectures.
/// `TOKENSCOPE_AVX2` compiles in the integer dot-product kernels (`IntegerRowDot`, AVX2 intrinsics).
let genericCPU = Context.environment["TOKENSCOPE_GENERIC_CPU"] != nil
let cpuFlags: [String] = genericCPU ? [] : ["-target-cpu", "haswell"]
let optimised: [SwiftSetting] = [
    .unsafeFlags(["-wmo"], .when(configuration: .release)),
    .unsafeFlags(cpuFlags),
] + (genericCPU ? [] : [.define("TOKENSCOPE_AVX2")])

let package = Package(
    name: "Tokenscope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tokenscope", targets: ["tokenscope"]),
        .library(name: "TokenscopeTransformer", targets: ["TokenscopeTransformer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - C shim
        // ncursesw macros and globals as static inline functions; links ncursesw.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),

        // MARK: - Model library (knows nothing of terminals)
        // Model files: GGUF, safetensors, HF config, tensor types, model locations.
        .target(name: "TokenscopeFormats", swiftSettings: optimised),
        // Numeric kernels: dequantisation, fused dot products, matrix products, norms, rotary, softmax.
        .target(name: "TokenscopeKernels", dependencies: ["TokenscopeFormats"], swiftSettings: optimised),
        // Tokenizers: byte-level BPE, WordPiece, special tokens, chat template, merge trace.
        .target(name: "TokenscopeTokenizers", dependencies: ["TokenscopeFormats"], swiftSettings: optimised),
        // The transformer: model, session with KV cache, trace, sampler, embedding tools.
        .target(
            name: "TokenscopeTransformer",
            dependencies: ["TokenscopeFormats", "TokenscopeKernels", "TokenscopeTokenizers"],
            swiftSettings: optimised
        ),

        // MARK: - UI core (knows nothing of models or terminals)
        // Cells and canvas, styles and themes, rectangles, keys and input events, widgets.
        .target(name: "TokenscopeUI", swiftSettings: optimised),

        // MARK: - Explorer (state, reducer, engine, views; terminal-free)
        .target(
            name: "TokenscopeExplorer",
            dependencies: ["TokenscopeUI", "TokenscopeTransformer", "TokenscopeTokenizers", "TokenscopeFormats"],
            swiftSettings: optimised
        ),

        // MARK: - Terminal backend (the only module that includes curses)
        .target(name: "TokenscopeTerminal", dependencies: ["TokenscopeUI", "CNcursesw"], swiftSettings: optimised),

        // MARK: - Executable
        .executableTarget(
            name: "tokenscope",
            dependencies: [
                "TokenscopeTerminal",
                "TokenscopeExplorer",
                "TokenscopeUI",
                "TokenscopeTransformer",
                "TokenscopeTokenizers",
                "TokenscopeKernels",
                "TokenscopeFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimised
        ),

        // MARK: - Tests (mirror the source targets)
        // What tests share: the GGUF writer, the tiny model, the binary locator and the model
        // fixtures (which skip, or fail under CI=true, when a model is missing).
        .target(
            name: "TokenscopeTestSupport",
            dependencies: ["TokenscopeFormats", "TokenscopeTokenizers", "TokenscopeTransformer"],
            path: "Tests/TokenscopeTestSupport"
        ),
        .testTarget(name: "TokenscopeFormatsTests", dependencies: ["TokenscopeFormats", "TokenscopeTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TokenscopeKernelsTests", dependencies: ["TokenscopeKernels", "TokenscopeFormats", "TokenscopeTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TokenscopeTokenizersTests",
            dependencies: ["TokenscopeTokenizers", "TokenscopeFormats", "TokenscopeTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TokenscopeTransformerTests",
            dependencies: ["TokenscopeTransformer", "TokenscopeKernels", "TokenscopeTokenizers", "TokenscopeFormats", "TokenscopeTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TokenscopeUITests", dependencies: ["TokenscopeUI"]),
        .testTarget(
            name: "TokenscopeExplorerTests",
            dependencies: ["TokenscopeExplorer", "TokenscopeUI", "TokenscopeTransformer", "TokenscopeTokenizers", "TokenscopeFormats", "TokenscopeTestSupport"],
            exclude: ["Snapshots"]
        ),
        .testTarget(name: "TokenscopeTerminalTests", dependencies: ["TokenscopeTerminal", "TokenscopeUI"]),
        .testTarget(name: "TokenscopeCLITests", dependencies: ["TokenscopeFormats", "TokenscopeTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
