/// How a virtual client ships its conversation with each call (`history: { carry: … }`), as
/// agents that resend their context do: the iteration's earlier requests and their results.
public enum HistoryCarry: Sendable, Hashable {
    /// In every request's `params._meta["mcpload/history"]`.
    case meta
    /// In the named argument of every tool call.
    case argument(String)

    public static let metaKey = "mcpload/history"

    /// The transcript to carry and its size, computed once per request.
    public struct Payload: Sendable {
        public var carry: HistoryCarry
        public var transcript: JSONValue
        /// Its serialised size: what carrying it costs on the wire.
        public var bytes: Int

        public init(carry: HistoryCarry, transcript: [JSONValue]) {
            self.carry = carry
            self.transcript = .array(transcript)
            bytes = JSONWriter.bytes(self.transcript).count
        }
    }

    /// `params` with the transcript attached where this carry puts it.
    public func attach(_ transcript: JSONValue, to params: JSONValue?, method: String) -> JSONValue? {
        switch self {
        case .meta:
            var members = params?.objectValue ?? [:]
            var meta = members["_meta"]?.objectValue ?? [:]
            meta[Self.metaKey] = transcript
            members["_meta"] = .object(meta)
            return .object(members)
        case .argument(let name):
            guard method == "tools/call", var members = params?.objectValue else { return params }
            var arguments = members["arguments"]?.objectValue ?? [:]
            arguments[name] = transcript
            members["arguments"] = .object(arguments)
            return .object(members)
        }
    }

    /// One exchange of the transcript: what was asked and what came back.
    public static func entry(method: String, params: JSONValue?, answer: JSONValue?) -> JSONValue {
        ["method": .string(method), "params": params ?? .null, "result": answer ?? .null]
    }
}
