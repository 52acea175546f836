"""The pull-request review: its model, the planner that judges a change, the comment."""
