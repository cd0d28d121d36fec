import MCPLoadCore
import MCPLoadJSONRPC

/// The demo server's shared state: the fault schedule and its own requests to the client.
actor DemoState {
    private var faults: FaultSchedule
    private var nextRequest = 1
    private var awaitingClient: [JSONRPCID: CheckedContinuation<String, Never>] = [:]

    init(options: DemoServerOptions) {
        faults = FaultSchedule(options: options)
    }

    func admit() -> FaultSchedule.Verdict { faults.admit() }

    func injectsError() -> Bool { faults.injectsError() }

    private var records = 0
    private var sessions = 0

    /// Counts a session opening (an `initialize`); returns how many have opened so far.
    func noteSession() -> Int {
        sessions += 1
        return sessions
    }

    var sessionsOpened: Int { sessions }
    private var lastEcho: String?

    /// `--bleed`: remembers this echo's text and returns the one before it, from any session.
    func swapLastEcho(_ text: String) -> String? {
        defer { lastEcho = text }
        return lastEcho
    }

    private var lastTenantEcho: (tenant: String, text: String)?
    /// `--tenant-bleed`: echoes that carried another tenant's text.
    private(set) var tenantBleeds = 0

    /// `--tenant-bleed`, a shared-cache bug keyed by nothing: remembers this echo as the
    /// tenant's "last note" and returns the last one stored, when another tenant stored it.
    func swapTenantEcho(_ text: String, tenant: String) -> String? {
        defer { lastTenantEcho = (tenant, text) }
        guard let last = lastTenantEcho, last.tenant != tenant else { return nil }
        tenantBleeds += 1
        return last.text
    }

    /// The next `--leak` record's number.
    func nextRecord() -> Int {
        records += 1
        return records
    }

    /// Sends a request to the client and waits for its answer, summarised as text.
    func ask(_ method: String, through outbox: Outbox) async -> String {
        let id = JSONRPCID.string("demo-\(nextRequest)")
        nextRequest += 1
        return await withCheckedContinuation { continuation in
            awaitingClient[id] = continuation
            outbox(JSONRPCEncoder.request(id: id, method: method, params: nil))
        }
    }

    /// Routes the client's answer to the request that asked.
    func resolve(_ message: JSONRPCMessage) {
        guard let id = message.responseID, let continuation = awaitingClient.removeValue(forKey: id) else { return }
        switch message {
        case .errorResponse(_, let code, _, _): continuation.resume(returning: "error \(code)")
        default: continuation.resume(returning: "ok")
        }
    }
}
