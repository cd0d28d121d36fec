import MCPLoadJSONRPC

/// How a virtual client ships its conversation with each call (`history: { carry: … }`), as
/// agents that resend their context do: the iteration's earlier requests and their results.
package enum HistoryCarry: Sendable, Hashable {
    /// In every request's `params._meta["mcpload/history"]`.
    case meta
    /// In the named argument of every tool call.
    case argument(String)

    package static let metaKey = "mcpload/history"

    /// The transcript to carry and its size, computed once per request.
    package struct Payload: Sendable {
        package var carry: HistoryCarry
        package var transcript: JSONValue
        /// Its serialised size: what carrying it costs on the wire.
        package var bytes: Int

        package init(carry: HistoryCarry, transcript: [JSONValue]) {
            self.init(carry: carry, transcript: transcript, bytes: JSONWriter.bytes(.array(transcript)).count)
        }

        /// With the serialised size already known (kept as the transcript grows, so carrying
        /// costs no re-serialisation of the whole transcript per request).
        package init(carry: HistoryCarry, transcript: [JSONValue], bytes: Int) {
            self.carry = carry
            self.transcript = .array(transcript)
            self.bytes = bytes
        }
    }

    /// The serialised size of a transcript after appending `entry` to one of `size` bytes
    /// holding `count` entries: `[a,b]` is brackets, entries and the commas between them.
    package static func size(afterAppending entry: JSONValue, toSize size: Int, count: Int) -> Int {
        let entryBytes = JSONWriter.bytes(entry).count
        return count == 0 ? 2 + entryBytes : size + 1 + entryBytes
    }

    /// `params` with the transcript attached where this carry puts it.
    package func attach(_ transcript: JSONValue, to params: JSONValue?, method: String) -> JSONValue? {
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
    package static func entry(method: String, params: JSONValue?, answer: JSONValue?) -> JSONValue {
        ["method": .string(method), "params": params ?? .null, "result": answer ?? .null]
    }
}
