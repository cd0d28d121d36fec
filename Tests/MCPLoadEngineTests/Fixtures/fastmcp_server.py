"""A small server on FastMCP (the standalone package), served over Streamable HTTP.

    fastmcp_server.py PORT
"""
import sys

from fastmcp import FastMCP

server = FastMCP("fastmcp-peer")


@server.tool
def echo(text: str) -> str:
    """Returns its text unchanged."""
    return text


if __name__ == "__main__":
    server.run(transport="http", host="127.0.0.1", port=int(sys.argv[1]), show_banner=False)
