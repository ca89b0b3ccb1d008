"""The interview: a question bank, answer parsing, and the brief it builds step by step."""
