"""An MCP server that misbehaves on purpose, one way per mode, over stdio or Streamable HTTP.

    hostile_server.py MODE             stdio
    hostile_server.py MODE --http PORT Streamable HTTP on 127.0.0.1:PORT/mcp (JSON answers)

The handshake (initialize, notifications/initialized) is always answered properly; the mode
decides what every other request gets. Standard library only, so the tests need nothing
installed. Modes:

    polite             answers every request properly (the control row)
    id-1e19            answers with id 1e19 (beyond 64 bits)
    id-2pow63          answers with id 9223372036854775808
    id-1e400           answers with id 1e400 (infinite as a double)
    id-fraction        answers with id 1.5
    jsonrpc-1.0        answers with "jsonrpc": "1.0"
    no-jsonrpc         answers without the "jsonrpc" member
    echo-secret        answers a JSON-RPC error whose message echoes $HOSTILE_SECRET (stdio) or
                       the bearer token (HTTP: a 401 body), placed across the point where
                       mcpload cuts long messages
    grandchild-stdout  (stdio) starts a process that inherits its stdout and outlives it
    grandchild-setsid  (stdio) the same, in a new session: out of the server's process group
    grandchild-quiet   (stdio) starts a process with its output elsewhere, left running
    ignore-term        (stdio) ignores SIGTERM and stdin's end, so only SIGKILL stops it
    exit-after-init    (stdio) exits after the handshake, leaving a process holding stdout
    flood              floods notifications without end once initialized (HTTP: in every
                       request's SSE answer)
    reset-mid-body     (HTTP) sends the answer's head and half its body, then resets
    hang-get           (HTTP) accepts the listening stream's GET and never answers it
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
SECRET = os.environ.get("HOSTILE_SECRET", "")
PAD = "x" * 100


def initialize_result():
    # A file in the working directory says a client got this far: tests wait for it.
    open(f"initialized-{os.getpid()}", "w").close()
    return {
        "protocolVersion": "2025-06-18",
        "capabilities": {"tools": {}},
        "serverInfo": {"name": "hostile", "version": "1"},
    }


def tools():
    return {"tools": [{"name": "echo", "description": "echo", "inputSchema": {"type": "object"}}]}


def call_result(params):
    text = json.dumps((params or {}).get("arguments", {}))
    return {"content": [{"type": "text", "text": text}], "isError": False}


def answer_text(message, secret):
    """The line answering a request after the handshake, as the mode would write it."""
    request_id = message["id"]
    method = message.get("method")
    result = tools() if method == "tools/list" else call_result(message.get("params")) if method == "tools/call" else {}
    if MODE == "id-1e19":
        return '{"jsonrpc":"2.0","id":1e19,"result":' + json.dumps(result) + "}"
    if MODE == "id-2pow63":
        return '{"jsonrpc":"2.0","id":9223372036854775808,"result":' + json.dumps(result) + "}"
    if MODE == "id-1e400":
        return '{"jsonrpc":"2.0","id":1e400,"result":' + json.dumps(result) + "}"
    if MODE == "id-fraction":
        return '{"jsonrpc":"2.0","id":1.5,"result":' + json.dumps(result) + "}"
    if MODE == "jsonrpc-1.0":
        return json.dumps({"jsonrpc": "1.0", "id": request_id, "result": result})
    if MODE == "no-jsonrpc":
        return json.dumps({"id": request_id, "result": result})
    if MODE == "echo-secret":
        # The secret starts before byte 120 of the line and ends after it.
        message = "denied " + "y" * 60 + " for " + secret + " " + PAD
        return json.dumps({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32001, "message": message}})
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "result": result})


def start_stdio_mischief():
    if MODE in ("grandchild-stdout", "exit-after-init"):
        subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elif MODE == "grandchild-setsid":
        subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    elif MODE == "grandchild-quiet":
        subprocess.Popen(
            ["sleep", "600"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    elif MODE == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def serve_stdio():
    start_stdio_mischief()
    out = sys.stdout
    for raw in sys.stdin:
        message = json.loads(raw)
        if "id" not in message:
            if MODE == "exit-after-init" and message.get("method") == "notifications/initialized":
                out.flush()
                os._exit(0)
            if MODE == "flood" and message.get("method") == "notifications/initialized":
                line = json.dumps({"jsonrpc": "2.0", "method": "notifications/message", "params": {"data": PAD}})
                try:
                    while True:
                        out.write(line + "\n")
                except BrokenPipeError:
                    os._exit(0)
            continue
        if message.get("method") == "initialize":
            out.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": initialize_result()}) + "\n")
        else:
            out.write(answer_text(message, SECRET) + "\n")
        out.flush()
    if MODE == "ignore-term":
        while True:
            time.sleep(60)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if MODE == "hang-get" and "text/event-stream" in self.headers.get("Accept", ""):
            time.sleep(3600)
            return
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_DELETE(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        message = json.loads(body)
        if "id" not in message:
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if message.get("method") == "initialize":
            self.reply(200, json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": initialize_result()}))
            return
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if MODE == "echo-secret":
            # The token starts before byte 200 of the body and ends after it.
            self.reply(401, "unauthorized: " + "z" * 180 + " token " + token + " " + PAD, "text/plain")
            return
        if MODE == "flood":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            event = b"event: message\ndata: " + json.dumps(
                {"jsonrpc": "2.0", "method": "notifications/message", "params": {"data": PAD}}).encode() + b"\n\n"
            try:
                while True:
                    self.wfile.write(event * 64)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            return
        if MODE == "reset-mid-body":
            text = answer_text(message, token).encode()
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            self.wfile.write(b"Mcp-Session-Id: hostile\r\nContent-Length: %d\r\n\r\n" % len(text))
            self.wfile.write(text[: len(text) // 2])
            self.wfile.flush()
            # SO_LINGER with a zero timeout: close sends RST, not FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            self.close_connection = True
            return
        self.reply(200, answer_text(message, token))

    def reply(self, status, text, content_type="application/json"):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Mcp-Session-Id", "hostile")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if "--http" in sys.argv:
    port = int(sys.argv[sys.argv.index("--http") + 1])
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
else:
    serve_stdio()
