// Includes the system headers of this C library for Swift.
#include <srtp2/srtp.h>
