"""The pull-request review as jobs: gather a change's pages and judge them; publish the result."""
