"""The planning session in a browser: `socialplan serve` (pages at /, JSON under /api/, files from the output root)."""
