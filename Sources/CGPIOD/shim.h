// Includes the system headers of this C library for Swift.
#include <gpiod.h>
