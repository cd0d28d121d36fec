// Declarations only: see include/CMCPLoadSystem.h.
