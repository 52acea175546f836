"""The quarterly review as jobs: read the library and plan the issue; publish it."""
