/// Per-client canaries: `mcpl-canary-` and 16 lowercase hex digits, so one prefix finds them all.
package enum LeakCanary {
    package static let prefix = "mcpl-canary-"
    static let digits = 16
}
