enum PlaceholderMCPLoadReport {}
