/// This mcpload's version: written into every result, so that `mcpload merge` can refuse to add
/// up results that different versions measured in different ways.
package enum MCPLoadVersion {
    package static let current = "0.14.0"
}
