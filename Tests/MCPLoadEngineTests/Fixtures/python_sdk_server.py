"""A small server on the official MCP Python SDK: the interop peer for mcpload's tests.

    python_sdk_server.py                         # stdio
    python_sdk_server.py --http PORT [--json] [--stateless]   # Streamable HTTP at /mcp
    python_sdk_server.py --sse PORT                            # legacy HTTP+SSE at /sse
    python_sdk_server.py --http PORT --auth ISSUER --rs-secret S  # an OAuth-protected resource:
        the SDK's own auth settings (its 401 challenge, its protected resource metadata); tokens
        checked by RFC 7662 introspection at ISSUER/introspect as client "resource-server"
"""
import argparse
import asyncio
import base64
import json
import sys
import urllib.parse
import urllib.request

try:  # mcp 2.x
    from mcp.server.mcpserver import MCPServer as Server
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import FastMCP as Server


def introspecting_verifier(issuer, secret):
    """A TokenVerifier of the SDK's that asks the authorization server about each token."""
    from mcp.server.auth.provider import AccessToken

    class IntrospectingVerifier:
        async def verify_token(self, token):
            def ask():
                request = urllib.request.Request(
                    f"{issuer}/introspect", data=urllib.parse.urlencode({"token": token}).encode(),
                    headers={"Authorization": "Basic " + base64.b64encode(f"resource-server:{secret}".encode()).decode()})
                with urllib.request.urlopen(request, timeout=5) as answer:
                    return json.load(answer)

            found = await asyncio.to_thread(ask)
            if not found.get("active"):
                return None
            return AccessToken(
                token=token, client_id=found["client_id"], scopes=found.get("scope", "").split(),
                expires_at=found.get("exp"))

    return IntrospectingVerifier()


def make_server():
    if "--auth" not in sys.argv:
        return Server("python-sdk-peer")
    from mcp.server.auth.settings import AuthSettings

    issuer = sys.argv[sys.argv.index("--auth") + 1]
    secret = sys.argv[sys.argv.index("--rs-secret") + 1]
    port = sys.argv[sys.argv.index("--http") + 1]
    return Server(
        "python-sdk-peer", token_verifier=introspecting_verifier(issuer, secret),
        auth=AuthSettings(
            issuer_url=issuer, resource_server_url=f"http://127.0.0.1:{port}/mcp", required_scopes=["mcp:tools"],
            validate_token_resource=False))


server = make_server()


@server.tool()
def echo(text: str) -> str:
    """Returns its text unchanged."""
    return text


@server.tool()
def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


if __name__ == "__main__":
    options = argparse.ArgumentParser()
    options.add_argument("--http", type=int)
    options.add_argument("--sse", type=int)
    options.add_argument("--json", action="store_true")
    options.add_argument("--stateless", action="store_true")
    options.add_argument("--auth")
    options.add_argument("--rs-secret")
    arguments = options.parse_args()
    if arguments.sse is not None:
        server.run(transport="sse", host="127.0.0.1", port=arguments.sse)
    elif arguments.http is None:
        server.run(transport="stdio")
    else:
        server.run(
            transport="streamable-http", host="127.0.0.1", port=arguments.http,
            json_response=arguments.json, stateless_http=arguments.stateless)
