"""The quarterly review issue: model, page facts, upstream health, plan, body and its parts."""
