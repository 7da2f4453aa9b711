"""Support work (issue 14): who supports which school — curators, mentors, network pairs and
communities —, what is done for it — support events with their participants, outcome, tasks and
files —, and who got help (the coverage page). Facts are recorded here; the indicators of
DOMAIN.md («share of teachers covered by methodical support», «number of ШНОР in network
interaction») are computed from them (:mod:`opora.web.support.coverage`)."""
