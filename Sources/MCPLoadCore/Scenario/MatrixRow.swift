/// One variant of a `matrix:` run: the scenario again, with its target's transport or
/// topology changed, under a label, with a line saying what the row shows.
public struct MatrixRow: Sendable, Hashable {
    public var label: String
    /// One line for the comparison: what this row shows.
    public var about: String?
    public var transport: TargetSpec.Transport?
    public var topology: StdioTopology?

    public init(
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
    public func applying(_ row: MatrixRow) -> Scenario {
        var variant = self
        variant.matrix = []
        variant.variantLabel = row.label
        variant.variantAbout = row.about
        if let transport = row.transport { variant.target.transport = transport }
        if let topology = row.topology {
            variant.target.topology = topology
        } else if variant.target.transport != .stdio {
            variant.target.topology = .processPerClient
        }
        return variant
    }
}
