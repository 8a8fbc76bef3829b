# placeholder working directory for config tests
