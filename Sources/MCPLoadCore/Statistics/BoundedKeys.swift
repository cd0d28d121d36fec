/// Counts keyed by names that come from a server (notification methods, replica names): past a
/// few dozen distinct names, the rest are counted together under one overflow key, so a server
/// inventing names cannot grow mcpload's memory without bound.
extension Dictionary where Key == String {
    /// Distinct names kept before the overflow key takes the rest.
    package static var distinctNameLimit: Int { 64 }

    /// `name` itself while it is counted already or there is room for it, else `overflow`.
    package func boundedKey(_ name: String, overflow: String) -> String {
        self[name] != nil || count < Self.distinctNameLimit ? name : overflow
    }
}
