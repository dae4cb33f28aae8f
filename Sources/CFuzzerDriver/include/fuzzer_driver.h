// fuzzer_driver.h: libFuzzer's driver entry point, linked only in -sanitize=fuzzer builds.
#ifndef TRUNKBOX_FUZZER_DRIVER_H
#define TRUNKBOX_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
