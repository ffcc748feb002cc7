"""Validation: the SHACL shapes, the shapes graph itself, and the quality-check queries."""
