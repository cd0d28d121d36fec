import AsyncHTTPClient
import Foundation
import MCPLoadCore
import MCPLoadJSONRPC
import NIOCore
import NIOHTTP1

/// The OAuth side of a run over HTTP: token requests and the metadata documents, on the run's
/// HTTP client (apart from the MCP sessions' own connections, and never measured with them).
package struct OAuthHTTP: Sendable {
    let client: HTTPClient

    /// Bodies longer than this are not read: metadata and token answers are small.
    static let maximumBodyBytes = 256 << 10

    /// How a client proves who it is at the token endpoint.
    package enum ClientProof: Sendable {
        /// `client_secret_basic`: id and secret, each form-encoded, in a Basic header.
        case basic(id: String, secret: String)
        /// `client_secret_post`: both in the form.
        case post(id: String, secret: String)
        /// A public client: its id in the form.
        case publicClient(id: String)
        /// `private_key_jwt`: a signed assertion (RFC 7523) in the form.
        case assertion(id: String, jwt: String, type: String)
    }

    /// POSTs a token request; the answer as the endpoint gave it, or why there was none.
    package func requestToken(
        at endpoint: String, form: [(String, String)], proof: ClientProof, timeout: Duration
    ) async -> TokenEndpointAnswer {
        var fields = form
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        switch proof {
        case .basic(let id, let secret):
            let pair = FormEncoding.escape(id) + ":" + FormEncoding.escape(secret)
            request.headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        case .post(let id, let secret):
            fields += [("client_id", id), ("client_secret", secret)]
        case .publicClient(let id):
            fields.append(("client_id", id))
        case .assertion(let id, let jwt, let type):
            fields += [("client_id", id), ("client_assertion_type", type), ("client_assertion", jwt)]
        }
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return TokenEndpointAnswer(status: Int(response.status.code), body: body.readableBytesView)
        } catch {
            return .refused(Self.tokenFailure(error))
        }
    }

    /// A JSON document (metadata) by GET: its status and value, or a failure to reach it.
    package func document(at url: String, timeout: Duration) async -> Result<(status: Int, value: JSONValue?), Failure>
    {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return .success((Int(response.status.code), try? JSONParser.parse(Array(body.readableBytesView))))
        } catch {
            return .failure(HTTPFailure.classify(error))
        }
    }

    /// What the MCP endpoint says to a request without credentials: its status and, on a 401,
    /// its Bearer challenge (where discovery starts).
    package func challenge(
        of endpoint: String, timeout: Duration
    ) async -> Result<(status: Int, BearerChallenge?), Failure> {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        let ping = #"{"jsonrpc":"2.0","id":0,"method":"ping"}"#
        request.body = .bytes(ByteBuffer(string: ping))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            // Only the head matters; the body is read (bounded) so the connection can be reused.
            _ = try? await response.body.collect(upTo: Self.maximumBodyBytes)
            let challenge = response.headers["WWW-Authenticate"].lazy.compactMap(BearerChallenge.init(header:)).first
            return .success((Int(response.status.code), challenge))
        } catch {
            return .failure(HTTPFailure.classify(error))
        }
    }

    private static func tokenFailure(_ error: any Error) -> TokenFailure {
        let failure = HTTPFailure.classify(error)
        return failure.failureClass == .timeout ? .timeout : .transport(failure.message)
    }
}

extension HTTPSessions {
    /// Token requests and metadata over this run's HTTP client.
    package var oauth: OAuthHTTP { OAuthHTTP(client: client) }
}
