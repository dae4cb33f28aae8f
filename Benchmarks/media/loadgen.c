/* loadgen.c: the media benchmark's load generator: CALLS two-way RTP streams at 50 packets/s per
 * direction through a relay on loopback; reports packets sent and received, drops, reorders and the
 * relay's added latency (p50, p99, max).
 *
 *   [PHASE=spread|burst|ms] [SEED=n] loadgen CALLS SECONDS RELAY_BASE GEN_BASE [SRTP_KEY_TO_RELAY_HEX SRTP_KEY_FROM_RELAY_HEX]
 *
 * With the two keys (30 bytes each: 16 key + 14 salt, AES_CM_128_HMAC_SHA1_80), the y side (trunk leg)
 * speaks SRTP: it protects what it sends with the first key and unprotects what it receives with the
 * second. Output: key=value lines on stdout. Port layout in common.h.
 *
 * Latency (since 2026-11-30), the same method for every relay and independent of the generator's own
 * SRTP work: the sender reads CLOCK_REALTIME immediately before the send system call (after
 * srtp_protect) and records it in a per-stream ring of send times indexed by the packet's sequence
 * number (SEND_RING packets per stream, shared with the receiving thread); the receiver takes each
 * packet's arrival time from the kernel (SO_TIMESTAMPNS via recvmmsg control messages, CLOCK_REALTIME,
 * stamped when the relay's send puts the packet on loopback's receive path), only then unprotects and
 * parses it, and looks the send time up by (stream, sequence). So neither the generator's protect nor
 * its unprotect of earlier packets nor its receiving thread's wake-up counts as relay latency. A packet
 * without a kernel time stamp (not expected) is stamped on reading and counted in rx_untimed; one whose
 * ring slot was already reused (more than SEND_RING packets late) is counted in stale and not timed.
 * The payload still carries the sender's CLOCK_MONOTONIC time before protect (not used).
 *
 * When each of the 2 x CALLS streams sends within its 20 ms packet period (PHASE):
 *   spread  (default) every stream has its own offset in the period, drawn uniformly from a seeded
 *           generator (SEED, default 1; the same seed gives every relay the same schedule), and its
 *           packet leaves at that moment (the sender sleeps until the next one is due): what calls
 *           that started at random moments look like.
 *   burst   every stream at offset 0: 2 x CALLS packets at once every 20 ms (the worst case).
 *   ms      the first generator's schedule: call i at offset i x 20 ms / CALLS, both directions of a
 *           call together, the sender waking once a millisecond and sending all that is due within it
 *           (bursts of 2 x CALLS / 20 packets every millisecond).
 * The payload also carries each packet's position in its sender wake-up (0 = first sent after the
 * sleep); the receiver reports the mean latency per position class (position_mean_us=POS:US,...),
 * which shows how much of the latency is waiting behind earlier packets of the same burst, and
 * sender_late, the packets it sent more than 200 us after they were due (a busy machine: the schedule
 * was not kept, the run does not measure what it says).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <srtp2/srtp.h>
#include "common.h"

#define HIST_US 100000              /* latency histogram: 1 us buckets up to 100 ms */
static uint32_t hist[HIST_US + 1];
static int calls, seconds, relay_base, gen_base, use_srtp;
enum { PHASE_SPREAD, PHASE_BURST, PHASE_MS };
static int phase = PHASE_SPREAD;
static uint64_t seed = 1;
#define POS_CLASSES 12                /* positions 0, 1, 2-3, 4-7, ... 512-1023, 1024+ */
static uint64_t pos_sum_ns[POS_CLASSES], pos_count[POS_CLASSES];
static atomic_ullong wakeups, late;   /* sender wake-ups; packets sent > 200 us after they were due */
static int *fd;                      /* fd[2i] = x_i, fd[2i+1] = y_i */
static struct sockaddr_in *dest;     /* where each generator socket sends: a_i or b_i */
static srtp_t srtp_send, srtp_recv;  /* y side only */
static atomic_ullong sent_total, received_total, auth_failures, foreign;
static atomic_int sending_done;
static uint64_t max_latency_ns;
#define SEND_RING 512                 /* send times kept per stream: 10.24 s at 50 packets/s */
static _Atomic uint64_t *sent_at;     /* [stream * SEND_RING + seq % SEND_RING]: CLOCK_REALTIME ns at send */
static _Atomic uint32_t *sent_seq;    /* the sequence number whose time the slot holds */
static uint64_t rx_untimed, stale;

static inline uint64_t realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int udp_socket(int port) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (s < 0) { perror("socket"); exit(1); }
    int big = 1 << 20, on = 1;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    /* Arrival times from the kernel (software receive time stamp, CLOCK_REALTIME). */
    if (setsockopt(s, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0) { perror("SO_TIMESTAMPNS"); exit(1); }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) { fprintf(stderr, "bind %d: %s\n", port, strerror(errno)); exit(1); }
    return s;
}

static void hex_key(const char *hex, uint8_t key[30]) {
    if (strlen(hex) != 60) { fprintf(stderr, "loadgen: an SRTP key is 60 hex digits\n"); exit(2); }
    for (int i = 0; i < 30; i++) { unsigned v; sscanf(hex + 2 * i, "%2x", &v); key[i] = (uint8_t)v; }
}

static void make_session(srtp_t *s, uint8_t key[30], srtp_ssrc_type_t type) {
    srtp_policy_t p;
    memset(&p, 0, sizeof p);
    srtp_crypto_policy_set_rtp_default(&p.rtp);
    srtp_crypto_policy_set_rtcp_default(&p.rtcp);
    p.ssrc.type = type;
    p.key = key;
    p.window_size = 1024;
    if (srtp_create(s, &p) != srtp_err_status_ok) { fprintf(stderr, "loadgen: srtp_create failed\n"); exit(1); }
}

static int pos_class(uint32_t pos) {
    int c = 0;
    while (pos > 0 && c < POS_CLASSES - 1) { pos >>= 1; c++; }
    return c;
}

/* Builds stream `leg`'s packet number s (position `pos` in the sender's wake-up) and sends it. */
static void send_packet(int leg, uint32_t s, uint32_t pos) {
    uint8_t pkt[TB_PACKET + TB_SRTP_SPACE];
    int side = leg & 1, i = leg >> 1;
    memset(pkt, 0, TB_PACKET);
    pkt[0] = 0x80;
    pkt[1] = 0;   /* PCMU */
    pkt[2] = (uint8_t)(s >> 8); pkt[3] = (uint8_t)s;
    uint32_t ts = s * 160, ssrc = (uint32_t)(0x10000 * (side + 1) + i);
    pkt[4] = (uint8_t)(ts >> 24); pkt[5] = (uint8_t)(ts >> 16); pkt[6] = (uint8_t)(ts >> 8); pkt[7] = (uint8_t)ts;
    pkt[8] = (uint8_t)(ssrc >> 24); pkt[9] = (uint8_t)(ssrc >> 16); pkt[10] = (uint8_t)(ssrc >> 8); pkt[11] = (uint8_t)ssrc;
    uint64_t now = now_ns();
    uint32_t stream = (uint32_t)leg;
    memcpy(pkt + TB_RTP_HEADER, &now, 8);
    memcpy(pkt + TB_RTP_HEADER + 8, &stream, 4);
    memcpy(pkt + TB_RTP_HEADER + 12, &s, 4);
    memcpy(pkt + TB_RTP_HEADER + 16, &pos, 4);
    int len = TB_PACKET;
    if (side == 1 && use_srtp && srtp_protect(srtp_send, pkt, &len) != srtp_err_status_ok) {
        fprintf(stderr, "loadgen: srtp_protect failed\n");
        exit(1);
    }
    /* The send time: after protect, right before the system call, in the clock of the kernel's
     * receive time stamps. Published before the send, so the receiver finds it. */
    size_t slot = (size_t)leg * SEND_RING + s % SEND_RING;
    atomic_store_explicit(&sent_seq[slot], s, memory_order_relaxed);
    atomic_store_explicit(&sent_at[slot], realtime_ns(), memory_order_release);
    if (sendto(fd[leg], pkt, (size_t)len, 0, (struct sockaddr *)&dest[leg], sizeof dest[leg]) == len)
        atomic_fetch_add(&sent_total, 1);
}

static void sleep_until(uint64_t t) {
    struct timespec tick = { .tv_sec = (time_t)(t / 1000000000ull), .tv_nsec = (long)(t % 1000000000ull) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL) == EINTR) {}
    atomic_fetch_add(&wakeups, 1);
}

static uint64_t next_random(void) {   /* splitmix64 */
    uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t *offset_of;   /* per stream, for sorting */
static int by_offset(const void *a, const void *b) {
    uint64_t x = offset_of[*(const int *)a], y = offset_of[*(const int *)b];
    return x < y ? -1 : x > y;
}

static void *sender(void *arg) {
    (void)arg;
    int streams = 2 * calls;
    uint32_t *seq = calloc((size_t)streams, sizeof *seq);
    uint64_t start = now_ns() + 50000000ull, period = 20000000ull;
    uint64_t end = start + (uint64_t)seconds * 1000000000ull;
    if (phase == PHASE_MS) {
        /* Call i sends at start + k*period + phase_i, phases spread over the period, in 1 ms steps. */
        uint64_t *next = calloc((size_t)calls, sizeof *next);
        for (int i = 0; i < calls; i++) next[i] = start + (uint64_t)i * period / (uint64_t)calls;
        for (uint64_t t = start; t < end; t += 1000000ull) {
            sleep_until(t);
            uint32_t pos = 0;
            for (int i = 0; i < calls; i++) {
                while (next[i] <= t + 1000000ull && next[i] < end) {
                    for (int side = 0; side < 2; side++) {
                        int leg = 2 * i + side;
                        if (now_ns() > next[i] + 200000ull) atomic_fetch_add(&late, 1);
                        send_packet(leg, seq[leg]++, pos++);
                    }
                    next[i] += period;
                }
            }
        }
    } else {
        /* Every stream at start + k*period + offset; offsets 0 (burst) or seeded uniform (spread). */
        offset_of = calloc((size_t)streams, sizeof *offset_of);
        int *order = calloc((size_t)streams, sizeof *order);
        for (int l = 0; l < streams; l++) {
            offset_of[l] = phase == PHASE_BURST ? 0 : next_random() % period;
            order[l] = l;
        }
        qsort(order, (size_t)streams, sizeof *order, by_offset);
        uint32_t pos = 0;
        for (uint64_t round = start; round < end; round += period) {
            for (int k = 0; k < streams; k++) {
                int leg = order[k];
                uint64_t due = round + offset_of[leg];
                if (due >= end) continue;
                uint64_t now = now_ns();
                if (due > now) { sleep_until(due); pos = 0; }
                else if (now > due + 200000ull) atomic_fetch_add(&late, 1);
                send_packet(leg, seq[leg]++, pos++);
            }
        }
    }
    atomic_store(&sending_done, 1);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 7) {
        fprintf(stderr, "usage: loadgen CALLS SECONDS RELAY_BASE GEN_BASE [SRTP_KEY_TO_RELAY_HEX SRTP_KEY_FROM_RELAY_HEX]\n");
        return 2;
    }
    calls = atoi(argv[1]); seconds = atoi(argv[2]); relay_base = atoi(argv[3]); gen_base = atoi(argv[4]);
    const char *ph = getenv("PHASE");
    if (!ph || !*ph || !strcmp(ph, "spread")) phase = PHASE_SPREAD;
    else if (!strcmp(ph, "burst")) phase = PHASE_BURST;
    else if (!strcmp(ph, "ms")) phase = PHASE_MS;
    else { fprintf(stderr, "loadgen: PHASE is spread, burst or ms\n"); return 2; }
    if (getenv("SEED")) seed = strtoull(getenv("SEED"), NULL, 10);
    /* Wake up when a packet is due, not up to 50 us later (the default timer slack). */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    use_srtp = argc == 7;
    static uint8_t key_to[30], key_from[30];
    if (use_srtp) {
        srtp_init();
        hex_key(argv[5], key_to);
        hex_key(argv[6], key_from);
        make_session(&srtp_send, key_to, ssrc_any_outbound);
        make_session(&srtp_recv, key_from, ssrc_any_inbound);
    }
    fd = calloc((size_t)(2 * calls), sizeof *fd);
    dest = calloc((size_t)(2 * calls), sizeof *dest);
    uint32_t *expect = calloc((size_t)(2 * calls), sizeof *expect);
    int ep = epoll_create1(0);
    for (int i = 0; i < calls; i++) {
        fd[2 * i] = udp_socket(port_x(gen_base, i));
        fd[2 * i + 1] = udp_socket(port_y(gen_base, i));
        dest[2 * i] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port_x(relay_base, i)), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        dest[2 * i + 1] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port_y(relay_base, i)), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        for (int l = 0; l < 2; l++) {
            struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)(2 * i + l) };
            epoll_ctl(ep, EPOLL_CTL_ADD, fd[2 * i + l], &ev);
        }
    }
    sent_at = calloc((size_t)(2 * calls) * SEND_RING, sizeof *sent_at);
    sent_seq = calloc((size_t)(2 * calls) * SEND_RING, sizeof *sent_seq);
    for (size_t k = 0; k < (size_t)(2 * calls) * SEND_RING; k++) atomic_init(&sent_seq[k], UINT32_MAX);
    pthread_t t;
    pthread_create(&t, NULL, sender, NULL);
#define RX_BATCH 32
    static uint8_t bufs[RX_BATCH][2048];
    static union { char buf[CMSG_SPACE(sizeof(struct timespec)) + 64]; struct cmsghdr align; } ctl[RX_BATCH];
    struct mmsghdr msgs[RX_BATCH];
    struct iovec iov[RX_BATCH];
    struct epoll_event events[256];
    uint64_t reordered = 0, idle_since = 0, timed = 0;
    for (;;) {
        int n = epoll_wait(ep, events, 256, 20);
        uint64_t now = now_ns();
        if (n == 0 && atomic_load(&sending_done)) {
            if (!idle_since) idle_since = now;
            if (now - idle_since > 500000000ull) break;   /* 500 ms without a packet after the last send */
            continue;
        }
        idle_since = 0;
        for (int e = 0; e < n; e++) {
            int leg = (int)events[e].data.u32;
            for (;;) {
                for (int k = 0; k < RX_BATCH; k++) {
                    iov[k] = (struct iovec){ bufs[k], sizeof bufs[k] };
                    msgs[k] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[k], .msg_iovlen = 1,
                                                             .msg_control = ctl[k].buf, .msg_controllen = sizeof ctl[k].buf } };
                }
                int got = recvmmsg(fd[leg], msgs, RX_BATCH, MSG_DONTWAIT, NULL);
                if (got <= 0) break;
                for (int k = 0; k < got; k++) {
                    uint8_t *buf = bufs[k];
                    int len = (int)msgs[k].msg_len;
                    /* The arrival time first, from the kernel; only then the generator's own work. */
                    uint64_t arrived = 0;
                    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[k].msg_hdr); c; c = CMSG_NXTHDR(&msgs[k].msg_hdr, c)) {
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                            struct timespec ts;
                            memcpy(&ts, CMSG_DATA(c), sizeof ts);
                            arrived = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
                        }
                    }
                    if (!arrived) { arrived = realtime_ns(); rx_untimed++; }
                    if (leg & 1 && use_srtp && srtp_unprotect(srtp_recv, buf, &len) != srtp_err_status_ok) {
                        atomic_fetch_add(&auth_failures, 1);
                        continue;
                    }
                    if (len < TB_RTP_HEADER + 20) { atomic_fetch_add(&foreign, 1); continue; }
                    /* The payload travelled from the partner leg: its stream id is leg ^ 1. */
                    uint32_t stream, s, pos;
                    memcpy(&stream, buf + TB_RTP_HEADER + 8, 4);
                    memcpy(&s, buf + TB_RTP_HEADER + 12, 4);
                    memcpy(&pos, buf + TB_RTP_HEADER + 16, 4);
                    if (stream != (uint32_t)(leg ^ 1)) { atomic_fetch_add(&foreign, 1); continue; }
                    if (s < expect[stream]) reordered++;
                    else expect[stream] = s + 1;
                    atomic_fetch_add(&received_total, 1);
                    size_t slot = (size_t)stream * SEND_RING + s % SEND_RING;
                    uint64_t sent = atomic_load_explicit(&sent_at[slot], memory_order_acquire);
                    if (atomic_load_explicit(&sent_seq[slot], memory_order_relaxed) != s) { stale++; continue; }
                    uint64_t lat = arrived > sent ? arrived - sent : 0;
                    if (lat > max_latency_ns) max_latency_ns = lat;
                    pos_sum_ns[pos_class(pos)] += lat;
                    pos_count[pos_class(pos)]++;
                    uint64_t us = lat / 1000;
                    hist[us > HIST_US ? HIST_US : us]++;
                    timed++;
                }
                if (got < RX_BATCH) break;
            }
        }
    }
    pthread_join(t, NULL);
    unsigned long long sent = atomic_load(&sent_total), got = atomic_load(&received_total);
    uint64_t p50 = 0, p99 = 0, seen = 0;
    for (int us = 0; us <= HIST_US; us++) {
        seen += hist[us];
        if (!p50 && seen * 2 >= timed) p50 = (uint64_t)us;
        if (!p99 && seen * 100 >= timed * 99) { p99 = (uint64_t)us; break; }
    }
    static const char *phase_names[] = { "spread", "burst", "ms" };
    printf("phase=%s\nsender_wakeups=%llu\nsender_late=%llu\n", phase_names[phase], (unsigned long long)atomic_load(&wakeups),
           (unsigned long long)atomic_load(&late));
    printf("position_mean_us=");
    for (int c = 0, first = 1; c < POS_CLASSES; c++) {
        if (!pos_count[c]) continue;
        unsigned lo = c == 0 ? 0 : 1u << (c - 1), hi = c == 0 ? 0 : (1u << c) - 1;
        if (c == POS_CLASSES - 1) printf("%s%u+:%.0f", first ? "" : ",", lo, (double)pos_sum_ns[c] / (double)pos_count[c] / 1000);
        else if (lo == hi) printf("%s%u:%.0f", first ? "" : ",", lo, (double)pos_sum_ns[c] / (double)pos_count[c] / 1000);
        else printf("%s%u-%u:%.0f", first ? "" : ",", lo, hi, (double)pos_sum_ns[c] / (double)pos_count[c] / 1000);
        first = 0;
    }
    printf("\n");
    printf("latency_clock=kernel_rx\ntimed=%llu\nrx_untimed=%llu\nstale=%llu\n", (unsigned long long)timed,
           (unsigned long long)rx_untimed, (unsigned long long)stale);
    printf("calls=%d\nseconds=%d\nsrtp=%d\nsent=%llu\nreceived=%llu\ndropped=%llu\nreordered=%llu\n"
           "auth_failures=%llu\nforeign=%llu\np50_us=%llu\np99_us=%llu\nmax_us=%llu\n",
           calls, seconds, use_srtp, sent, got, sent > got ? sent - got : 0, (unsigned long long)reordered,
           (unsigned long long)atomic_load(&auth_failures), (unsigned long long)atomic_load(&foreign),
           (unsigned long long)p50, (unsigned long long)p99, (unsigned long long)(max_latency_ns / 1000));
    return 0;
}
