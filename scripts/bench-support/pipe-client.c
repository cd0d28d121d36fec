/* A minimal stdio MCP client in C: starts the server, initializes, then sends ping after
 * ping, one in flight, for the given seconds. Prints round trips per second and its own CPU
 * microseconds per round trip: the floor mcpload's stdio client is measured against.
 *   pipe-client SECONDS SERVER [ARGS...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: pipe-client SECONDS SERVER [ARGS...]\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    int to_server[2], from_server[2];
    if (pipe(to_server) || pipe(from_server)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to_server[0], 0);
        dup2(from_server[1], 1);
        close(to_server[1]);
        close(from_server[0]);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    close(to_server[0]);
    close(from_server[1]);
    FILE *out = fdopen(to_server[1], "w"), *in = fdopen(from_server[0], "r");
    static char line[1 << 16];
    fprintf(out, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                 "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}\n"
                 "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
    fflush(out);
    if (!fgets(line, sizeof line, in)) return 1;
    long trips = 0;
    double start = now(), end = start + seconds;
    while (now() < end) {
        fprintf(out, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"ping\"}\n", ++trips);
        fflush(out);
        if (!fgets(line, sizeof line, in)) return 1;
    }
    double elapsed = now() - start;
    struct rusage own;
    getrusage(RUSAGE_SELF, &own);
    double cpu = own.ru_utime.tv_sec + own.ru_utime.tv_usec / 1e6 + own.ru_stime.tv_sec + own.ru_stime.tv_usec / 1e6;
    fclose(out);
    waitpid(pid, NULL, 0);
    printf("%ld %.6f %.6f\n", trips, elapsed, cpu);
    return 0;
}
