"""Concord: run every outsourcing partner as an extension of your own operation."""
