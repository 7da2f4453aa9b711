"""The recommendations, decisions and annual-cycle half of the management cycle (issue 16):
targeted recommendations to the seven addressees of seed 004, meetings of the working group with
their decisions, the municipal plan of measures (seed 002's form), the year's stages with
notifications, and the municipal system as evidence (the nine parts of DOMAIN.md)."""
