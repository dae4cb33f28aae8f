/* common.h: port layout and packet format shared by the media benchmark's load generator and bare relay. */
#ifndef TB_MEDIA_BENCH_COMMON_H
#define TB_MEDIA_BENCH_COMMON_H
#include <stdint.h>
#include <time.h>

/* Call i uses four loopback ports on each side:
 *   generator x_i = gen_base + 4i   <->  relay a_i = relay_base + 4i      (PBX leg, plain RTP)
 *   generator y_i = gen_base + 4i+2 <->  relay b_i = relay_base + 4i + 2  (trunk leg, RTP or SRTP)
 * The relay forwards what arrives on a_i out of b_i to y_i, and what arrives on b_i out of a_i to x_i. */
static inline int port_x(int base, int i) { return base + 4 * i; }
static inline int port_y(int base, int i) { return base + 4 * i + 2; }

/* An RTP packet of 12 header bytes and 160 payload bytes (20 ms of G.711); the payload starts with the
 * sender's CLOCK_MONOTONIC time in nanoseconds (8 bytes, host order), then the stream id, the sequence
 * number and the position in the sender's wake-up (4 bytes each). Since 2026-11-30 loadgen takes latency
 * from its own send-time table and the kernel's receive time stamps, not from this time (loadgen.c). */
#define TB_RTP_HEADER 12
#define TB_PAYLOAD 160
#define TB_PACKET (TB_RTP_HEADER + TB_PAYLOAD)
#define TB_SRTP_SPACE 64   /* room for an SRTP auth tag (and MKI) */

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
#endif
