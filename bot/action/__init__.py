"""`tierbot action`: the GitHub Actions step (event in; comment, summary, outputs out)."""
