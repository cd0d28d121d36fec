"""A stdio MCP server that completes the handshake, then never reads stdin again.

A client that writes more than the pipe holds blocks in write(2): mcpload must time the request
out and stop the server rather than hang. Standard library only.
"""
import json
import sys
import time

for raw in sys.stdin.buffer:
    message = json.loads(raw)
    if message.get("method") == "initialize":
        result = {"protocolVersion": "2025-11-25", "capabilities": {}, "serverInfo": {"name": "stuck", "version": "1"}}
        sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}) + "\n")
        sys.stdout.flush()
    elif message.get("method") == "notifications/initialized":
        break
time.sleep(600)
