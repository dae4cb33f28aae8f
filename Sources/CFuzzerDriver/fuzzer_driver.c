// fuzzer_driver.c: empty; the declaration in fuzzer_driver.h is resolved by libFuzzer when fuzzing.
#include "fuzzer_driver.h"
