"""The contracts: Brief, Strategy (plan.json), settings, the value grammar, and their file I/O."""
