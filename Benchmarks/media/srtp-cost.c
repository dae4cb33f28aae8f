/* srtp-cost.c: libsrtp2's own cost per packet (protect, unprotect) for the media benchmark's ratio:
 * AES_CM_128_HMAC_SHA1_80 on a 172-byte RTP packet, one stream, CPU time by CLOCK_PROCESS_CPUTIME_ID.
 *
 *   srtp-cost [PACKETS]      default 1,000,000
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <srtp2/srtp.h>
#include "common.h"

static uint64_t cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
    long packets = argc > 1 ? atol(argv[1]) : 1000000;
    srtp_init();
    uint8_t key[30];
    for (int i = 0; i < 30; i++) key[i] = (uint8_t)(i * 7 + 1);
    srtp_policy_t p;
    memset(&p, 0, sizeof p);
    srtp_crypto_policy_set_rtp_default(&p.rtp);
    srtp_crypto_policy_set_rtcp_default(&p.rtcp);
    p.key = key;
    p.window_size = 1024;
    srtp_t tx, rx;
    p.ssrc.type = ssrc_any_outbound;
    srtp_create(&tx, &p);
    p.ssrc.type = ssrc_any_inbound;
    srtp_create(&rx, &p);
    /* Batches of packets: protect the whole batch, then unprotect it, timing each loop as a whole. */
    enum { BATCH = 10000, STRIDE = TB_PACKET + TB_SRTP_SPACE };
    static uint8_t pkts[BATCH][STRIDE];
    static int lens[BATCH];
    uint64_t protect_ns = 0, unprotect_ns = 0;
    long failures = 0, done = 0;
    while (done < packets) {
        long batch = packets - done < BATCH ? packets - done : BATCH;
        for (long k = 0; k < batch; k++) {
            long n = done + k;
            uint8_t *pkt = pkts[k];
            memset(pkt, 0x55, TB_PACKET);
            pkt[0] = 0x80; pkt[1] = 0;
            pkt[2] = (uint8_t)(n >> 8); pkt[3] = (uint8_t)n;
            uint32_t ts = (uint32_t)n * 160;
            pkt[4] = (uint8_t)(ts >> 24); pkt[5] = (uint8_t)(ts >> 16); pkt[6] = (uint8_t)(ts >> 8); pkt[7] = (uint8_t)ts;
            pkt[8] = 0; pkt[9] = 0; pkt[10] = 0x12; pkt[11] = 0x34;
            lens[k] = TB_PACKET;
        }
        uint64_t t0 = cpu_ns();
        for (long k = 0; k < batch; k++)
            if (srtp_protect(tx, pkts[k], &lens[k]) != srtp_err_status_ok) failures++;
        uint64_t t1 = cpu_ns();
        for (long k = 0; k < batch; k++)
            if (srtp_unprotect(rx, pkts[k], &lens[k]) != srtp_err_status_ok || lens[k] != TB_PACKET) failures++;
        uint64_t t2 = cpu_ns();
        protect_ns += t1 - t0;
        unprotect_ns += t2 - t1;
        done += batch;
    }
    printf("packets=%ld\nprotect_ns=%.1f\nunprotect_ns=%.1f\nfailures=%ld\n", packets,
           (double)protect_ns / (double)packets, (double)unprotect_ns / (double)packets, failures);
    return failures ? 1 : 0;
}
