import MCPLoadJSONRPC

/// What one client saw of a server's tools: every `tools/list` answer it got, reduced to the
/// distinct definitions per tool and the distinct sets of tool names. Tallies merge, so the
/// clients of a run (and shards) add up to the run's view, and a definition that changed between
/// any two sessions shows as two versions of one tool.
package struct ToolSurfaceTally: Sendable, Equatable {
    /// `tools/list` answers observed.
    package private(set) var listings: UInt64 = 0
    /// Bytes of the tools array over all listings: what every session downloaded together.
    package private(set) var totalBytes: UInt64 = 0
    /// The largest single listing, in bytes: one session's context cost.
    package private(set) var largestListingBytes = 0
    /// Listings that said more pages followed (`nextCursor`): only their first page is audited.
    package private(set) var paginated: UInt64 = 0
    /// Distinct definitions per tool name, first seen first, at most ``versionLimit`` each.
    package private(set) var definitions: [String: [JSONValue]] = [:]
    /// Distinct sets of tool names, sorted, at most ``versionLimit``.
    package private(set) var toolSets: [[String]] = []

    package static let versionLimit = 4

    /// The last listing and its size: a server that answers the same every time (the usual
    /// case, at thousands of listings a second) costs one comparison per listing.
    private var lastTools: JSONValue?
    private var lastBytes = 0

    package init() {}

    /// Records one `tools/list` result (`{tools: [...], nextCursor?}`); anything else is ignored.
    package mutating func observe(listResult: JSONValue) {
        guard let tools = listResult["tools"], case .array(let entries) = tools else { return }
        listings += 1
        if listResult["nextCursor"]?.stringValue != nil { paginated += 1 }
        if tools != lastTools {
            lastTools = tools
            lastBytes = JSONWriter.bytes(tools).count
            learn(entries)
        }
        totalBytes += UInt64(lastBytes)
        largestListingBytes = max(largestListingBytes, lastBytes)
    }

    private mutating func learn(_ entries: [JSONValue]) {
        var names: [String] = []
        for entry in entries {
            guard let name = entry["name"]?.stringValue else { continue }
            names.append(name)
            remember(entry, as: name)
        }
        remember(toolSet: names.sorted())
    }

    private mutating func remember(_ definition: JSONValue, as name: String) {
        var known = definitions[name] ?? []
        guard !known.contains(definition), known.count < Self.versionLimit else { return }
        known.append(definition)
        definitions[name] = known
    }

    private mutating func remember(toolSet: [String]) {
        guard !toolSets.contains(toolSet), toolSets.count < Self.versionLimit else { return }
        toolSets.append(toolSet)
    }

    package mutating func merge(_ other: ToolSurfaceTally) {
        listings += other.listings
        totalBytes += other.totalBytes
        paginated += other.paginated
        largestListingBytes = max(largestListingBytes, other.largestListingBytes)
        for name in other.definitions.keys.sorted() {
            for definition in other.definitions[name] ?? [] { remember(definition, as: name) }
        }
        for toolSet in other.toolSets { remember(toolSet: toolSet) }
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.listings == rhs.listings && lhs.totalBytes == rhs.totalBytes && lhs.paginated == rhs.paginated
            && lhs.largestListingBytes == rhs.largestListingBytes && lhs.definitions == rhs.definitions
            && lhs.toolSets == rhs.toolSets
    }
}
