// Includes the system headers of this C library for Swift.
#include <bcg729/encoder.h>
#include <bcg729/decoder.h>
