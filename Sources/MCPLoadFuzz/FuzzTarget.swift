/// What the fuzzer feeds, one target per parser of outside input. Each target takes any bytes
/// and must neither crash, hang nor break its invariants (checked with `precondition`, so that
/// libFuzzer reports a broken one as a crash, with the input that broke it).
package enum FuzzTarget: String, CaseIterable, Sendable {
    case json
    case jsonrpc
    case lines
    case sse
    case httpAnswer = "http-answer"
    case scenario
    case thresholds
    case metrics
    case oauth

    /// Runs one input through the target.
    package func run(_ bytes: [UInt8]) {
        switch self {
        case .json: JSONFuzzing.run(bytes)
        case .jsonrpc: JSONRPCFuzzing.run(bytes)
        case .lines: FramingFuzzing.lines(bytes)
        case .sse: FramingFuzzing.sse(bytes)
        case .httpAnswer: HTTPAnswerFuzzing.run(bytes)
        case .scenario: ScenarioFuzzing.scenario(bytes)
        case .thresholds: ScenarioFuzzing.thresholds(bytes)
        case .metrics: MetricsPageFuzzing.run(bytes)
        case .oauth: OAuthFuzzing.run(bytes)
        }
    }
}

/// Splits fuzz input into chunks whose sizes come from the input itself: the first byte seeds
/// the cuts, so the fuzzer explores how a stream arrives, not only what it holds.
struct Chunks: Sequence, IteratorProtocol {
    private var rest: ArraySlice<UInt8>
    private var seed: UInt8

    init(_ bytes: [UInt8]) {
        seed = bytes.first ?? 1
        rest = bytes.dropFirst()
    }

    mutating func next() -> ArraySlice<UInt8>? {
        guard !rest.isEmpty else { return nil }
        // Chunk sizes 1 to 64, varying with the seed and the bytes themselves.
        seed = seed &* 31 &+ (rest.first ?? 0) &+ 7
        let size = Int(seed % 64) + 1
        defer { rest = rest.dropFirst(size) }
        return rest.prefix(size)
    }
}
