"""Plans and their targets (quotas). Built in the "Plans and quotas" issue."""
