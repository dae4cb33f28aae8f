/* bench.c: libosip2 parse+serialize throughput on the Benchmarks/sip-parse corpus (the baseline for sip-bench). */
/*
 * Usage: bench ITERATIONS FILE...
 *
 * Each iteration parses every corpus message into a fresh osip_message_t (osip_message_init,
 * osip_message_parse), reads the parsed headers, serializes it (osip_message_to_str) and frees both.
 * libosip2 parses Via, From, To, Call-ID, CSeq, Contact, Content-Type, Content-Length, Route,
 * Record-Route, Allow, Authorization and WWW-Authenticate into structures during osip_message_parse;
 * Max-Forwards stays a name/value pair, so it is looked up and converted to a number here, as SIPCore's
 * typed view does. A parsed message has message_property 2 ("buffer not up to date"), so
 * osip_message_to_str rebuilds the text from the structures rather than copying the input.
 *
 * Output (same format as the Swift harness):
 *   osip2: <n> messages in <s> s: <rate> messages/s (checksum <c>)
 */
#define _POSIX_C_SOURCE 200809L
#include <osipparser2/osip_parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct corpus_message {
    char *bytes;
    size_t length;
};

static char *load(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            char *grown = realloc(buf, cap + 1);
            if (grown == NULL) { free(buf); fclose(f); return NULL; }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    buf[n] = '\0';
    *length = n;
    return buf;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t text_len(const char *s) { return s ? (uint64_t)strlen(s) : 0; }

/* Reads what a B2BUA reads of the parsed headers, folding it into the checksum; -1 if one is missing. */
static int64_t touch_headers(osip_message_t *sip) {
    uint64_t sum = 0;
    osip_via_t *via = NULL;
    if (osip_message_get_via(sip, 0, &via) < 0 || via == NULL) return -1;
    sum += text_len(via->host) + text_len(via->port) + (uint64_t)osip_list_size(&sip->vias);
    for (int i = 0; !osip_list_eol(&via->via_params, i); i++) {
        osip_generic_param_t *p = osip_list_get(&via->via_params, i);
        sum += text_len(p->gname) + text_len(p->gvalue);
    }
    osip_from_t *from = osip_message_get_from(sip);
    osip_to_t *to = osip_message_get_to(sip);
    osip_call_id_t *call_id = osip_message_get_call_id(sip);
    osip_cseq_t *cseq = osip_message_get_cseq(sip);
    if (from == NULL || from->url == NULL || to == NULL || to->url == NULL || call_id == NULL || cseq == NULL) return -1;
    sum += text_len(from->url->host) + text_len(from->url->username) + text_len(from->displayname);
    sum += text_len(to->url->host) + text_len(to->url->username);
    osip_generic_param_t *tag = NULL;
    if (osip_from_get_tag(from, &tag) == 0 && tag != NULL) sum += text_len(tag->gvalue);
    sum += text_len(call_id->number) + text_len(call_id->host);
    sum += (uint64_t)strtoul(cseq->number ? cseq->number : "0", NULL, 10) + text_len(cseq->method);
    for (int i = 0; !osip_list_eol(&sip->contacts, i); i++) {
        osip_contact_t *c = osip_list_get(&sip->contacts, i);
        if (c->url) sum += text_len(c->url->host) + text_len(c->url->port);
    }
    osip_header_t *mf = NULL;
    if (osip_message_header_get_byname(sip, "max-forwards", 0, &mf) >= 0 && mf != NULL && mf->hvalue != NULL)
        sum += (uint64_t)strtol(mf->hvalue, NULL, 10);
    osip_content_type_t *ct = osip_message_get_content_type(sip);
    if (ct != NULL) sum += text_len(ct->type) + text_len(ct->subtype);
    return (int64_t)sum;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ITERATIONS FILE...\n", argv[0]);
        return 2;
    }
    long iterations = strtol(argv[1], NULL, 10);
    int count = argc - 2;
    struct corpus_message *corpus = calloc((size_t)count, sizeof *corpus);
    if (corpus == NULL || iterations <= 0) return 2;
    for (int i = 0; i < count; i++) {
        corpus[i].bytes = load(argv[i + 2], &corpus[i].length);
        if (corpus[i].bytes == NULL) { fprintf(stderr, "bench: cannot read %s\n", argv[i + 2]); return 2; }
    }
    if (parser_init() != 0) { fprintf(stderr, "bench: parser_init failed\n"); return 1; }

    /* Check once that every message parses, reads and serializes, so the timed loop measures success. */
    for (int i = 0; i < count; i++) {
        osip_message_t *sip = NULL;
        char *out = NULL;
        size_t out_len = 0;
        if (osip_message_init(&sip) != 0 || osip_message_parse(sip, corpus[i].bytes, corpus[i].length) != 0
            || touch_headers(sip) < 0 || osip_message_to_str(sip, &out, &out_len) != 0) {
            fprintf(stderr, "bench: libosip2 cannot handle %s\n", argv[i + 2]);
            return 1;
        }
        osip_free(out);
        osip_message_free(sip);
    }

    uint64_t checksum = 0;
    long messages = 0;
    double start = now_seconds();
    for (long it = 0; it < iterations; it++) {
        for (int i = 0; i < count; i++) {
            osip_message_t *sip = NULL;
            char *out = NULL;
            size_t out_len = 0;
            osip_message_init(&sip);
            if (osip_message_parse(sip, corpus[i].bytes, corpus[i].length) != 0) { fprintf(stderr, "bench: parse failed\n"); return 1; }
            checksum += (uint64_t)touch_headers(sip);
            if (osip_message_to_str(sip, &out, &out_len) != 0) { fprintf(stderr, "bench: to_str failed\n"); return 1; }
            checksum += out_len + (unsigned char)out[out_len / 2];
            osip_free(out);
            osip_message_free(sip);
            messages++;
        }
    }
    double elapsed = now_seconds() - start;
    printf("osip2: %ld messages in %.3f s: %.0f messages/s (checksum %llu)\n", messages, elapsed,
           (double)messages / elapsed, (unsigned long long)checksum);
    for (int i = 0; i < count; i++) free(corpus[i].bytes);
    free(corpus);
    return 0;
}
