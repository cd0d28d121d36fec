/// One variant of a `matrix:` run: the scenario again, with its target's transport, topology,
/// URL, protocol version, server arguments or session ending changed, under a label, with a
/// line saying what the row shows.
package struct MatrixRow: Sendable, Hashable {
    package var label: String
    /// One line for the comparison: what this row shows.
    package var about: String?
    package var transport: TargetSpec.Transport?
    package var topology: StdioTopology?
    /// Another endpoint of an HTTP target (the same servers behind another balancer, say).
    package var url: String?
    /// The protocol version this row offers (`session.protocolVersion`).
    package var protocolVersion: String?
    /// Arguments added to the server's command line (the same server with a fault knob, say).
    package var extraArguments: [String] = []
    /// Whether this row's sessions end with DELETE (`session.delete`).
    package var endWithDelete: Bool?
    /// `authMode: naive` or `proactive`: how this row's OAuth identities keep their tokens.
    package var naiveAuth: Bool?

    package init(
        label: String, about: String? = nil, transport: TargetSpec.Transport? = nil, topology: StdioTopology? = nil
    ) {
        self.label = label
        self.about = about
        self.transport = transport
        self.topology = topology
    }
}

extension Scenario {
    /// The scenario as `row` runs it: a single run (no matrix of its own) under the row's label.
    package func applying(_ row: MatrixRow) -> Scenario {
        var variant = self
        variant.matrix = []
        variant.variantLabel = row.label
        variant.variantAbout = row.about
        if let transport = row.transport { variant.target.transport = transport }
        if let url = row.url {
            switch variant.target.launch {
            case .httpCommand(let words, _): variant.target.launch = .httpCommand(words, url: url)
            default: variant.target.launch = .url(url)
            }
        }
        if let protocolVersion = row.protocolVersion { variant.session.protocolVersion = protocolVersion }
        if let endWithDelete = row.endWithDelete { variant.session.endWithDelete = endWithDelete }
        if let naive = row.naiveAuth, var oauth = variant.auth?.oauth {
            oauth.naive = naive
            oauth.refresh.proactive = !naive
            variant.auth?.credentials = .oauth(oauth)
        }
        if !row.extraArguments.isEmpty {
            switch variant.target.launch {
            case .builtinDemo(let arguments):
                variant.target.launch = .builtinDemo(arguments: arguments + row.extraArguments)
            case .command(let words): variant.target.launch = .command(words + row.extraArguments)
            case .httpCommand(let words, let url):
                variant.target.launch = .httpCommand(words + row.extraArguments, url: url)
            case .url: break
            }
        }
        if let topology = row.topology {
            variant.target.topology = topology
        } else if variant.target.transport != .stdio {
            variant.target.topology = .processPerClient
        }
        return variant
    }
}
