// Includes speexdsp (Debian libspeexdsp-dev) for Swift: the resampler and the echo canceller.
#ifndef TRUNKBOX_CSPEEXDSP_SHIM_H
#define TRUNKBOX_CSPEEXDSP_SHIM_H

#include <speex/speex_resampler.h>
#include <speex/speex_echo.h>

#endif
