#ifndef CMCPLOADSYSTEM_H
#define CMCPLOADSYSTEM_H

// Linux's epoll, which Swift's Glibc module does not bring in, reduced to what mcpload's
// process-exit watcher needs: wait once for a descriptor (a pidfd) to become readable.

#ifdef __linux__
#include <stddef.h>
#include <sys/epoll.h>

static inline int mcpload_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/// Watches `descriptor` for readability, once.
static inline int mcpload_epoll_watch_once(int epoll, int descriptor) {
    struct epoll_event event = {.events = EPOLLIN | EPOLLONESHOT, .data = {.fd = descriptor}};
    return epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event);
}

static inline int mcpload_epoll_forget(int epoll, int descriptor) {
    return epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, NULL);
}

/// Waits for descriptors to become readable; writes up to `capacity` of them (at most 64) to
/// `ready` and returns how many, or -1 with errno set.
static inline int mcpload_epoll_wait(int epoll, int *ready, int capacity) {
    struct epoll_event events[64];
    int count = epoll_wait(epoll, events, capacity < 64 ? capacity : 64, -1);
    for (int index = 0; index < count; index++) ready[index] = events[index].data.fd;
    return count;
}
#endif

#endif
