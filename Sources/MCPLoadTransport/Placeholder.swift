enum PlaceholderMCPLoadTransport {}
