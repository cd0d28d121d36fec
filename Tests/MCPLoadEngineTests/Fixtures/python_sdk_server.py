"""A small stdio server on the official MCP Python SDK: the interop peer for mcpload's tests."""
from mcp.server.fastmcp import FastMCP

server = FastMCP("python-sdk-peer")


@server.tool()
def echo(text: str) -> str:
    """Returns its text unchanged."""
    return text


@server.tool()
def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


if __name__ == "__main__":
    server.run(transport="stdio")
