"""tierbot: reviews pattern-library pull requests against excellence-tier rules."""

__version__ = "0.1.0"
