import Foundation

/// The HTTP demo server's sessions: who is live, how many requests each has made, and the
/// deterministic HTTP status faults.
actor DemoSessions {
    enum Admission: Equatable {
        case admitted
        /// Unknown or expired session: 404, the client must initialize again.
        case notFound
        /// A fault from `--status-rate`.
        case status(Int)
    }

    private let options: DemoHTTPOptions
    private var requestCounts: [String: Int] = [:]
    private var faultCounters: [Int: (seen: Int, injected: Int)] = [:]
    /// Sessions a request of which was refused.
    private var refused: Set<String> = []
    /// What the leak knobs keep of closed sessions: never freed, by design.
    private var leaked: [[UInt8]] = []
    /// What each leaked session holds, written so that it is resident, not only reserved.
    static let leakedBytesPerSession = 64 << 10

    init(options: DemoHTTPOptions) {
        self.options = options
    }

    /// Opens a session; nil when `--max-sessions` are already live.
    func open() -> String? {
        if let limit = options.maxSessions, requestCounts.count >= limit { return nil }
        let id = UUID().uuidString.lowercased()
        requestCounts[id] = 0
        return id
    }

    /// Sessions held: live ones, and those the leak knobs kept after their end.
    var held: Int { requestCounts.count + leaked.count }

    func isLive(_ id: String) -> Bool {
        requestCounts[id] != nil
    }

    func close(_ id: String) -> Bool {
        let wasRefused = refused.remove(id) != nil
        guard requestCounts.removeValue(forKey: id) != nil else { return false }
        if options.leakSessions || (options.leakRefused && wasRefused) {
            leaked.append([UInt8](repeating: 0x6C, count: Self.leakedBytesPerSession))
        }
        return true
    }

    /// Counts a request of session `id` (nil when stateless) and decides whether it is served.
    func admit(session id: String?) -> Admission {
        if let status = injectedStatus() {
            if let id, requestCounts[id] != nil { refused.insert(id) }
            return .status(status)
        }
        guard let id else { return .admitted }
        guard let count = requestCounts[id] else { return .notFound }
        if let limit = options.expireSessionsAfter, count >= limit {
            requestCounts[id] = nil
            return .notFound
        }
        requestCounts[id] = count + 1
        return .admitted
    }

    /// Exactly ⌊n × rate⌋ of the first n requests get each configured status.
    private func injectedStatus() -> Int? {
        for fault in options.statusFaults {
            var counter = faultCounters[fault.status] ?? (0, 0)
            counter.seen += 1
            let due = Int((Double(counter.seen) * fault.rate).rounded(.down))
            defer { faultCounters[fault.status] = counter }
            if due > counter.injected {
                counter.injected = due
                return fault.status
            }
        }
        return nil
    }
}
