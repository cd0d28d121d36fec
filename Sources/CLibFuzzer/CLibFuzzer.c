// The header declares libFuzzer's driver; its definition comes from libFuzzer's runtime.
