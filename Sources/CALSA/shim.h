// Includes the system headers of this C library for Swift.
#include <alsa/asoundlib.h>
