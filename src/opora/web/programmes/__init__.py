"""School programmes (issue 15): risk profiles, document campaigns, roadmaps, expert review and
the monitoring of a roadmap's execution — the federal 500+ cycle (DOMAIN.md, «The 500+ risk
profile»; seeds 001 and 003)."""
