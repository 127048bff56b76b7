"""Shared helpers: errors, all-or-nothing writes, safe reads, and validated reading of committed layers."""
