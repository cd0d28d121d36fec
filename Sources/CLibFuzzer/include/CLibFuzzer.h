#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for an executable that has a main of its own (SwiftPM gives every
/// executable one): run it with the process's arguments and the function to fuzz. Linked from
/// libFuzzer's runtime only in fuzzing builds (`-sanitize=fuzzer`).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
