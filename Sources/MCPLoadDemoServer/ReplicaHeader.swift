import HTTPTypes
import Hummingbird

/// `--replica NAME`: every answer says which replica served it (`Mcp-Replica: NAME`), as servers
/// behind a load balancer often do, so a run can count requests and session breaks per replica.
struct ReplicaHeader<Context: RequestContext>: RouterMiddleware {
    let name: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[MCPHeader.replica] = name
        return response
    }
}
