/* The smallest MCP server that answers: one JSON-RPC line in, one line out, over stdio.
 * initialize gets a real result; any other request an empty result under its own id;
 * notifications get nothing. A reference point for what a pipe round trip costs when the
 * server does no work: scripts/bench-stdio-c drives it with mcpload and with pipe-client.c. */
#include <stdio.h>
#include <string.h>

/* Copies the JSON value after `"key":` (a number or a quoted string) into out; 0 if absent. */
static int field(const char *line, const char *key, char *out, size_t size) {
    const char *at = strstr(line, key);
    if (!at) return 0;
    at += strlen(key);
    while (*at == ' ' || *at == ':') at++;
    size_t n = 0;
    if (*at == '"') {
        out[n++] = *at++;
        while (*at && *at != '"' && n + 2 < size) out[n++] = *at++;
        if (*at == '"') out[n++] = '"';
    } else {
        while (*at && *at != ',' && *at != '}' && *at != ' ' && n + 1 < size) out[n++] = *at++;
    }
    out[n] = 0;
    return n > 0;
}

int main(void) {
    static char line[1 << 20];
    char id[256], method[256];
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    while (fgets(line, sizeof line, stdin)) {
        if (!field(line, "\"id\"", id, sizeof id)) continue; /* a notification */
        if (field(line, "\"method\"", method, sizeof method) && strcmp(method, "\"initialize\"") == 0) {
            printf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"protocolVersion\":\"2025-11-25\","
                   "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"c-echo\",\"version\":\"1\"}}}\n",
                   id);
        } else {
            printf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{}}\n", id);
        }
        fflush(stdout);
    }
    return 0;
}
