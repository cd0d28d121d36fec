import Synchronization

/// The access token a session presents, read on every request: an identity's current token,
/// replaced as it is refreshed, while sessions that use it stay open.
///
/// The generation says which of the identity's tokens a request carried, so that a refusal of
/// an old token (already replaced) is not taken for a refusal of the new one.
package final class BearerCredential: Sendable {
    private let current = Mutex<Presented?>(nil)

    package struct Presented: Sendable, Equatable {
        /// `Bearer <token>`: the header's value, made once per token, not per request.
        package var header: String
        package var generation: Int
    }

    package init() {}

    package func replace(token: String, generation: Int) {
        let presented = Presented(header: "Bearer " + token, generation: generation)
        current.withLock { $0 = presented }
    }

    package var presented: Presented? { current.withLock { $0 } }
}
