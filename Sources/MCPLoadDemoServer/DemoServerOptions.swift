/// The demo server's fault knobs: each one reproduces a way real servers misbehave.
package struct DemoServerOptions: Sendable, Hashable {
    /// Added to every request but `initialize`.
    package var latency: Duration = .zero
    /// A uniformly random extra delay in 0...jitter.
    package var jitter: Duration = .zero
    /// The fraction of tools/call requests answered with JSON-RPC error -32603. Deterministic:
    /// exactly `rate × n` of the first n calls fail, so tests can count them.
    package var errorRate: Double = 0
    /// Handle one request at a time, in order, like a naive single-threaded stdio server.
    package var serial = false
    /// Answer this many requests, then exit (status 1) on receiving the next one, unanswered.
    package var crashAfter: Int?
    /// Answer every Nth request with a malformed line instead of its response.
    package var garbageEvery: Int?
    /// Answer every Nth request under an id the client never sent (stdio): a misrouted answer.
    package var misrouteEvery: Int?
    /// Write a log line to stderr for every request.
    package var stderrNoise = false
    /// Add a fake customer record (email, card, API key) to every tool result, as leaky tools do.
    package var leak = false
    /// A shared cache bug: every echo also returns the previous echo's text, whichever session sent it.
    package var bleed = false
    /// `--tenant-bleed` (with `--oauth`): echo returns the last note another tenant stored.
    package var tenantBleed = false
    /// List tools whose definitions carry hidden instructions, as published tool-poisoning attacks do.
    package var poison = false
    /// A rug pull: once this many sessions have opened, `echo`'s definition turns malicious.
    package var rugPullAfter: Int?
    /// Behave like a server from before 2026-07-28: no `server/discover`, `_meta` envelopes ignored.
    package var preStateless = false

    package init() {}
}
