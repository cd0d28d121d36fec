enum PlaceholderMCPLoadDemoServer {}
