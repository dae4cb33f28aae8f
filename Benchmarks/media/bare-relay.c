/* bare-relay.c: the reference for the media benchmark: a plain RTP relay in C, one thread, epoll +
 * recvmmsg/sendmmsg, fixed forwarding (no parsing, no SRTP, no latching). It is the floor any relay
 * must pay on this kernel; trunkbox's engine is measured against it in the same run.
 *
 *   bare-relay CALLS RELAY_BASE GEN_BASE      runs until SIGTERM/SIGINT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "common.h"

#define BATCH 32
static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

static int udp_socket(int port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0) { perror("socket"); exit(1); }
    int big = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { fprintf(stderr, "bind %d: %s\n", port, strerror(errno)); exit(1); }
    return fd;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: bare-relay CALLS RELAY_BASE GEN_BASE\n"); return 2; }
    int calls = atoi(argv[1]), relay_base = atoi(argv[2]), gen_base = atoi(argv[3]);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int legs = 2 * calls;
    int *fd = calloc((size_t)legs, sizeof *fd);
    struct sockaddr_in *dest = calloc((size_t)legs, sizeof *dest);
    int ep = epoll_create1(0);
    for (int i = 0; i < calls; i++) {
        fd[2 * i] = udp_socket(port_x(relay_base, i));       /* a_i */
        fd[2 * i + 1] = udp_socket(port_y(relay_base, i));   /* b_i */
        /* What arrives on leg L leaves on its partner toward the generator's port of the partner's side. */
        dest[2 * i] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port_y(gen_base, i)), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        dest[2 * i + 1] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port_x(gen_base, i)), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        for (int l = 0; l < 2; l++) {
            struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)(2 * i + l) };
            epoll_ctl(ep, EPOLL_CTL_ADD, fd[2 * i + l], &ev);
        }
    }
    static uint8_t buf[BATCH][2048];
    struct mmsghdr in[BATCH], out[BATCH];
    struct iovec iov[BATCH], oiov[BATCH];
    struct epoll_event events[256];
    printf("bare-relay: %d calls ready\n", calls);
    fflush(stdout);
    while (!stop) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int e = 0; e < n; e++) {
            int leg = (int)events[e].data.u32, partner = leg ^ 1;
            for (;;) {
                for (int k = 0; k < BATCH; k++) {
                    iov[k] = (struct iovec){ buf[k], sizeof buf[k] };
                    in[k] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[k], .msg_iovlen = 1 } };
                }
                int got = recvmmsg(fd[leg], in, BATCH, MSG_DONTWAIT, NULL);
                if (got <= 0) break;
                for (int k = 0; k < got; k++) {
                    oiov[k] = (struct iovec){ buf[k], in[k].msg_len };
                    out[k] = (struct mmsghdr){ .msg_hdr = { .msg_name = &dest[leg], .msg_namelen = sizeof dest[leg], .msg_iov = &oiov[k], .msg_iovlen = 1 } };
                }
                int sent = 0;
                while (sent < got) {
                    int r = sendmmsg(fd[partner], out + sent, (unsigned)(got - sent), 0);
                    if (r <= 0) break;
                    sent += r;
                }
                if (got < BATCH) break;
            }
        }
    }
    return 0;
}
