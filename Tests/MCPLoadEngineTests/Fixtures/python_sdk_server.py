"""A small server on the official MCP Python SDK: the interop peer for mcpload's tests.

    python_sdk_server.py                         # stdio
    python_sdk_server.py --http PORT [--json] [--stateless]   # Streamable HTTP at /mcp
    python_sdk_server.py --sse PORT                            # legacy HTTP+SSE at /sse
"""
import argparse

try:  # mcp 2.x
    from mcp.server.mcpserver import MCPServer as Server
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import FastMCP as Server

server = Server("python-sdk-peer")


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
    arguments = options.parse_args()
    if arguments.sse is not None:
        server.run(transport="sse", host="127.0.0.1", port=arguments.sse)
    elif arguments.http is None:
        server.run(transport="stdio")
    else:
        server.run(
            transport="streamable-http", host="127.0.0.1", port=arguments.http,
            json_response=arguments.json, stateless_http=arguments.stateless)
