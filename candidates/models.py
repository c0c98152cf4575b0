"""Candidates, stage events, introducers and rules. Built in the candidate pipeline issue."""
