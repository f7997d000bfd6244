"""Logging a reaction: acute from the visit or delayed from the chart, graded with CTCAE v5.0
definitions in view and the protocol's guidance beside them."""
