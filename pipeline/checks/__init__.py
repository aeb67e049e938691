"""Checks: findings per entry and per source, as data."""
