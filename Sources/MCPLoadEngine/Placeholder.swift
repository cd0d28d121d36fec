enum PlaceholderMCPLoadEngine {}
