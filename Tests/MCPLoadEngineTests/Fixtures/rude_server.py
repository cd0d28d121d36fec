"""A stdio MCP server that answers the handshake properly and then misbehaves on purpose.

tools/list gets a 2 MiB line (over a 1 MiB limit); tools/call gets bytes that are not UTF-8.
Standard library only, so the test needs nothing installed.
"""
import json
import sys

out = sys.stdout.buffer
for raw in sys.stdin.buffer:
    message = json.loads(raw)
    if "id" not in message:
        continue
    method = message.get("method")
    if method == "initialize":
        result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "rude", "version": "1"}}
        out.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode() + b"\n")
    elif method == "tools/list":
        out.write(b'{"jsonrpc":"2.0","id":' + str(message["id"]).encode() + b',"result":{"pad":"' + b"x" * (2 << 20) + b'"}}\n')
    else:
        out.write(b'{"jsonrpc":"2.0","id":' + str(message["id"]).encode() + b',"result":"\xff\xfe"}\n')
    out.flush()
