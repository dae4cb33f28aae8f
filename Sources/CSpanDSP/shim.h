// Includes spandsp (Debian libspandsp-dev 0.0.6) for Swift, with its internal structures exposed for two read-only peeks.
#ifndef TRUNKBOX_CSPANDSP_SHIM_H
#define TRUNKBOX_CSPANDSP_SHIM_H

// The private structure definitions are needed to read an ADSI receiver's framing progress
// (spandsp reports a failed checksum only to its log). They match the installed library exactly:
// both come from the same Debian package.
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

/// Octets framed so far of the message an ADSI receiver is assembling (0 when idle).
static inline int tb_adsi_rx_framed_octets(const adsi_rx_state_t *s) { return s->msg_len; }

/// The message length octet (the second framed octet) of the message being assembled, or -1.
static inline int tb_adsi_rx_declared_length(const adsi_rx_state_t *s) {
    return s->msg_len >= 2 ? (int) s->msg[1] : -1;
}

#endif
